// three.js drawing of a SceneModel: instanced spheres per element, half-bond cylinders coloured
// by their atom, the cell box, orbit controls, picking for hover labels, theme-aware background.
// Shared by the crystal viewer and the gallery preview. Renders on demand (no animation loop), so
// an idle view costs nothing.
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { SceneAtom, SceneModel } from './scene';

export interface PickedAtom {
  atom: SceneAtom;
  x: number;
  y: number;
}

export class CrystalRenderer {
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(40, 1, 0.1, 2000);
  private readonly controls: OrbitControls;
  private readonly content = new THREE.Group();
  private readonly raycaster = new THREE.Raycaster();
  private pickables: { mesh: THREE.InstancedMesh; atoms: SceneAtom[] }[] = [];
  private model: SceneModel | undefined;
  private frameRequested = false;

  constructor(private readonly container: HTMLElement) {
    // preserveDrawingBuffer keeps the last frame readable for PNG export and pixel checks.
    this.renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.canvas = this.renderer.domElement;
    this.canvas.setAttribute('aria-label', 'Crystal structure, 3D view. Drag to rotate, scroll to zoom.');
    this.canvas.tabIndex = 0;
    container.appendChild(this.canvas);
    this.scene.add(this.content);
    this.scene.add(new THREE.AmbientLight(0xffffff, 0.55));
    const light = new THREE.DirectionalLight(0xffffff, 1.6);
    light.position.set(1, 2, 3);
    this.camera.add(light);
    this.scene.add(this.camera);
    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.enableDamping = false;
    // Arrow keys pan while the canvas has focus (keyboard users cannot drag).
    this.controls.listenToKeyEvents(this.canvas);
    this.controls.addEventListener('change', () => this.requestRender());
    new ResizeObserver(() => this.resize()).observe(container);
    this.applyTheme();
    new MutationObserver(() => this.applyTheme()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.resize();
  }

  show(model: SceneModel, keepCamera: boolean): void {
    this.clear();
    this.model = model;
    this.addAtoms(model);
    this.addBonds(model);
    this.addBox(model);
    if (!keepCamera) this.viewAlong('default');
    this.requestRender();
  }

  /** Camera presets: along a, b or c (crystaltoolkit#383), or an oblique default. */
  viewAlong(axis: 'a' | 'b' | 'c' | 'default'): void {
    const model = this.model;
    if (!model) return;
    const centre = new THREE.Vector3(...model.centre);
    const distance = model.extent * 2.8;
    const direction = axis === 'default' ? new THREE.Vector3(1, 0.8, 1.6) : this.axisDirection(axis);
    this.camera.position.copy(centre).add(direction.normalize().multiplyScalar(distance));
    this.camera.up.set(0, axis === 'c' ? 1 : 0, axis === 'c' ? 0 : 1);
    this.camera.near = distance / 100;
    this.camera.far = distance * 10;
    this.camera.updateProjectionMatrix();
    this.controls.target.copy(centre);
    this.controls.update();
    this.requestRender();
  }

  pick(clientX: number, clientY: number): PickedAtom | undefined {
    const rect = this.canvas.getBoundingClientRect();
    const pointer = new THREE.Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(pointer, this.camera);
    const hits = this.raycaster.intersectObjects(this.pickables.map((p) => p.mesh), false);
    const hit = hits.find((h) => h.instanceId !== undefined);
    if (!hit || hit.instanceId === undefined) return undefined;
    const owner = this.pickables.find((p) => p.mesh === hit.object);
    const atom = owner?.atoms[hit.instanceId];
    return atom ? { atom, x: clientX - rect.left, y: clientY - rect.top } : undefined;
  }

  /** Renders now and returns the PNG (scale > 1 renders at a higher resolution, then restores). */
  toPng(scale = 2): string {
    const size = this.renderer.getSize(new THREE.Vector2());
    const ratio = this.renderer.getPixelRatio();
    this.renderer.setPixelRatio(ratio * scale);
    this.renderer.setSize(size.x, size.y, false);
    this.renderer.render(this.scene, this.camera);
    const url = this.canvas.toDataURL('image/png');
    this.renderer.setPixelRatio(ratio);
    this.renderer.setSize(size.x, size.y, false);
    this.renderNow();
    return url;
  }

  renderNow(): void {
    this.frameRequested = false;
    this.renderer.render(this.scene, this.camera);
  }

  private requestRender(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => this.renderNow());
  }

  private axisDirection(axis: 'a' | 'b' | 'c'): THREE.Vector3 {
    const edges = this.model?.edges ?? [];
    // Edges 0, 1, 2 start at the origin and run along a, b and c (see scene.ts boxEdges).
    const index = { a: 0, b: 1, c: 2 }[axis];
    const [from, to] = edges[index] ?? [[0, 0, 0], [0, 0, 1]];
    return new THREE.Vector3(to[0] - from[0], to[1] - from[1], to[2] - from[2]);
  }

  private addAtoms(model: SceneModel): void {
    const byElement = new Map<string, SceneAtom[]>();
    for (const atom of model.atoms) {
      const list = byElement.get(atom.element);
      if (list) list.push(atom);
      else byElement.set(atom.element, [atom]);
    }
    const detail = model.atoms.length > 2000 ? 8 : 20;
    const sphere = new THREE.SphereGeometry(1, detail, Math.round(detail * 0.75));
    const matrix = new THREE.Matrix4();
    this.pickables = [];
    for (const [, atoms] of byElement) {
      const material = new THREE.MeshStandardMaterial({ color: atoms[0].color, roughness: 0.45, metalness: 0.1 });
      const mesh = new THREE.InstancedMesh(sphere, material, atoms.length);
      atoms.forEach((atom, i) => {
        matrix.makeScale(atom.radius, atom.radius, atom.radius).setPosition(...atom.position);
        mesh.setMatrixAt(i, matrix);
      });
      mesh.computeBoundingSphere();
      this.content.add(mesh);
      this.pickables.push({ mesh, atoms });
    }
  }

  private addBonds(model: SceneModel): void {
    if (model.bonds.length === 0) return;
    const cylinder = new THREE.CylinderGeometry(0.12, 0.12, 1, 10, 1, true);
    cylinder.translate(0, 0.5, 0);
    cylinder.rotateX(Math.PI / 2); // along +z, from 0 to 1
    const material = new THREE.MeshStandardMaterial({ roughness: 0.6 });
    const mesh = new THREE.InstancedMesh(cylinder, material, model.bonds.length * 2);
    const matrix = new THREE.Matrix4();
    const color = new THREE.Color();
    const up = new THREE.Vector3(0, 0, 1);
    let k = 0;
    for (const [i, j] of model.bonds) {
      const a = new THREE.Vector3(...model.atoms[i].position);
      const b = new THREE.Vector3(...model.atoms[j].position);
      const middle = a.clone().add(b).multiplyScalar(0.5);
      for (const [from, atom] of [[a, model.atoms[i]], [b, model.atoms[j]]] as const) {
        const direction = middle.clone().sub(from);
        const quaternion = new THREE.Quaternion().setFromUnitVectors(up, direction.clone().normalize());
        matrix.compose(from, quaternion, new THREE.Vector3(1, 1, direction.length()));
        mesh.setMatrixAt(k, matrix);
        mesh.setColorAt(k, color.setHex(atom.color));
        k++;
      }
    }
    this.content.add(mesh);
  }

  private addBox(model: SceneModel): void {
    const points = model.edges.flatMap(([p, q]) => [new THREE.Vector3(...p), new THREE.Vector3(...q)]);
    const geometry = new THREE.BufferGeometry().setFromPoints(points);
    const line = new THREE.LineSegments(geometry, new THREE.LineBasicMaterial({ color: this.foreground() }));
    line.name = 'cell';
    this.content.add(line);
  }

  private clear(): void {
    for (const child of [...this.content.children]) {
      this.content.remove(child);
      if (child instanceof THREE.Mesh || child instanceof THREE.LineSegments) {
        child.geometry.dispose();
        const material = child.material as THREE.Material | THREE.Material[];
        (Array.isArray(material) ? material : [material]).forEach((m) => m.dispose());
      }
    }
  }

  private cssColor(name: string, fallback: string): THREE.Color {
    const value = getComputedStyle(document.body).getPropertyValue(name).trim();
    try {
      return new THREE.Color(value || fallback);
    } catch {
      return new THREE.Color(fallback);
    }
  }

  private foreground(): THREE.Color {
    return this.cssColor('--vscode-editor-foreground', '#888888');
  }

  private applyTheme(): void {
    this.scene.background = this.cssColor('--vscode-editor-background', '#1e1e1e');
    const cell = this.content.getObjectByName('cell');
    if (cell instanceof THREE.LineSegments) (cell.material as THREE.LineBasicMaterial).color = this.foreground();
    this.requestRender();
  }

  private resize(): void {
    const width = Math.max(1, this.container.clientWidth);
    const height = Math.max(1, this.container.clientHeight);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }
}
