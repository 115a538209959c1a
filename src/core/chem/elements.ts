// The periodic table: all 118 elements with the facts the parsers, featurizers and the 3D viewer need.
// Generated once from Debian's pymatgen 2022.11 (symbol, name, standard atomic mass, Pauling χ,
// common oxidation states) and ASE (covalent radii, which ASE takes from Cordero et al., Dalton
// Trans. 2008, 2832); then committed as plain data so this web-safe module has no runtime
// dependency. Hand corrections: Og mass (pymatgen 2022.11 has the typo 2949 → 294).
// Cordero gives no radius beyond Cm (Z = 96); those elements get a placeholder (see below).

export interface ElementInfo {
  symbol: string;
  /** Atomic number. */
  Z: number;
  name: string;
  /** Standard atomic mass in u (mass number of the longest-lived isotope for unstable elements). */
  mass: number;
  /** Pauling electronegativity; undefined where none is tabulated (He, Ne, Ar, Z ≥ 104). */
  paulingEN?: number;
  /** Common oxidation states (pymatgen's common_oxidation_states), ascending. */
  oxidationStates: number[];
  /** Single-bond covalent radius in Å (Cordero 2008), used for bond detection in the viewer. */
  covalentRadius: number;
}

/** Placeholder radius for Z > 96, where Cordero 2008 has no value: close to Am/Cm (1.80/1.69 Å). */
const NO_CORDERO_RADIUS = 1.7;

type Row = [symbol: string, name: string, mass: number, paulingEN: number | undefined, oxidationStates: number[], covalentRadius: number];

// Ordered by Z, starting at 1.
const ROWS: Row[] = [
  ['H', 'Hydrogen', 1.00794, 2.2, [-1, 1], 0.31],
  ['He', 'Helium', 4.002602, undefined, [], 0.28],
  ['Li', 'Lithium', 6.941, 0.98, [1], 1.28],
  ['Be', 'Beryllium', 9.012182, 1.57, [2], 0.96],
  ['B', 'Boron', 10.811, 2.04, [3], 0.84],
  ['C', 'Carbon', 12.0107, 2.55, [-4, 4], 0.76],
  ['N', 'Nitrogen', 14.0067, 3.04, [-3, 3, 5], 0.71],
  ['O', 'Oxygen', 15.9994, 3.44, [-2], 0.66],
  ['F', 'Fluorine', 18.9984032, 3.98, [-1], 0.57],
  ['Ne', 'Neon', 20.1797, undefined, [], 0.58],
  ['Na', 'Sodium', 22.98976928, 0.93, [1], 1.66],
  ['Mg', 'Magnesium', 24.305, 1.31, [2], 1.41],
  ['Al', 'Aluminum', 26.9815386, 1.61, [3], 1.21],
  ['Si', 'Silicon', 28.0855, 1.9, [-4, 4], 1.11],
  ['P', 'Phosphorus', 30.973762, 2.19, [-3, 3, 5], 1.07],
  ['S', 'Sulfur', 32.065, 2.58, [-2, 2, 4, 6], 1.05],
  ['Cl', 'Chlorine', 35.453, 3.16, [-1, 1, 3, 5, 7], 1.02],
  ['Ar', 'Argon', 39.948, undefined, [], 1.06],
  ['K', 'Potassium', 39.0983, 0.82, [1], 2.03],
  ['Ca', 'Calcium', 40.078, 1.0, [2], 1.76],
  ['Sc', 'Scandium', 44.955912, 1.36, [3], 1.7],
  ['Ti', 'Titanium', 47.867, 1.54, [4], 1.6],
  ['V', 'Vanadium', 50.9415, 1.63, [5], 1.53],
  ['Cr', 'Chromium', 51.9961, 1.66, [3, 6], 1.39],
  ['Mn', 'Manganese', 54.938045, 1.55, [2, 4, 7], 1.39],
  ['Fe', 'Iron', 55.845, 1.83, [2, 3], 1.32],
  ['Co', 'Cobalt', 58.933195, 1.88, [2, 3], 1.26],
  ['Ni', 'Nickel', 58.6934, 1.91, [2], 1.24],
  ['Cu', 'Copper', 63.546, 1.9, [2], 1.32],
  ['Zn', 'Zinc', 65.409, 1.65, [2], 1.22],
  ['Ga', 'Gallium', 69.723, 1.81, [3], 1.22],
  ['Ge', 'Germanium', 72.64, 2.01, [-4, 2, 4], 1.2],
  ['As', 'Arsenic', 74.9216, 2.18, [-3, 3, 5], 1.19],
  ['Se', 'Selenium', 78.96, 2.55, [-2, 2, 4, 6], 1.2],
  ['Br', 'Bromine', 79.904, 2.96, [-1, 1, 3, 5, 7], 1.2],
  ['Kr', 'Krypton', 83.798, 3.0, [], 1.16],
  ['Rb', 'Rubidium', 85.4678, 0.82, [1], 2.2],
  ['Sr', 'Strontium', 87.62, 0.95, [2], 1.95],
  ['Y', 'Yttrium', 88.90585, 1.22, [3], 1.9],
  ['Zr', 'Zirconium', 91.224, 1.33, [4], 1.75],
  ['Nb', 'Niobium', 92.90638, 1.6, [5], 1.64],
  ['Mo', 'Molybdenum', 95.94, 2.16, [4, 6], 1.54],
  ['Tc', 'Technetium', 98.0, 1.9, [4, 7], 1.47],
  ['Ru', 'Ruthenium', 101.07, 2.2, [3, 4], 1.46],
  ['Rh', 'Rhodium', 102.9055, 2.28, [3], 1.42],
  ['Pd', 'Palladium', 106.42, 2.2, [2, 4], 1.39],
  ['Ag', 'Silver', 107.8682, 1.93, [1], 1.45],
  ['Cd', 'Cadmium', 112.411, 1.69, [2], 1.44],
  ['In', 'Indium', 114.818, 1.78, [3], 1.42],
  ['Sn', 'Tin', 118.71, 1.96, [-4, 2, 4], 1.39],
  ['Sb', 'Antimony', 121.76, 2.05, [-3, 3, 5], 1.39],
  ['Te', 'Tellurium', 127.6, 2.1, [-2, 2, 4, 6], 1.38],
  ['I', 'Iodine', 126.90447, 2.66, [-1, 1, 3, 5, 7], 1.39],
  ['Xe', 'Xenon', 131.293, 2.6, [], 1.4],
  ['Cs', 'Cesium', 132.9054519, 0.79, [1], 2.44],
  ['Ba', 'Barium', 137.327, 0.89, [2], 2.15],
  ['La', 'Lanthanum', 138.90547, 1.1, [3], 2.07],
  ['Ce', 'Cerium', 140.116, 1.12, [3, 4], 2.04],
  ['Pr', 'Praseodymium', 140.90765, 1.13, [3], 2.03],
  ['Nd', 'Neodymium', 144.242, 1.14, [3], 2.01],
  ['Pm', 'Promethium', 145.0, 1.13, [3], 1.99],
  ['Sm', 'Samarium', 150.36, 1.17, [3], 1.98],
  ['Eu', 'Europium', 151.964, 1.2, [2, 3], 1.98],
  ['Gd', 'Gadolinium', 157.25, 1.2, [3], 1.96],
  ['Tb', 'Terbium', 158.92535, 1.1, [3], 1.94],
  ['Dy', 'Dysprosium', 162.5, 1.22, [3], 1.92],
  ['Ho', 'Holmium', 164.93032, 1.23, [3], 1.92],
  ['Er', 'Erbium', 167.259, 1.24, [3], 1.89],
  ['Tm', 'Thulium', 168.93421, 1.25, [3], 1.9],
  ['Yb', 'Ytterbium', 173.04, 1.1, [3], 1.87],
  ['Lu', 'Lutetium', 174.967, 1.27, [3], 1.87],
  ['Hf', 'Hafnium', 178.49, 1.3, [4], 1.75],
  ['Ta', 'Tantalum', 180.94788, 1.5, [5], 1.7],
  ['W', 'Tungsten', 183.84, 2.36, [4, 6], 1.62],
  ['Re', 'Rhenium', 186.207, 1.9, [4], 1.51],
  ['Os', 'Osmium', 190.23, 2.2, [4], 1.44],
  ['Ir', 'Iridium', 192.217, 2.2, [3, 4], 1.41],
  ['Pt', 'Platinum', 195.084, 2.28, [2, 4], 1.36],
  ['Au', 'Gold', 196.966569, 2.54, [3], 1.36],
  ['Hg', 'Mercury', 200.59, 2.0, [1, 2], 1.32],
  ['Tl', 'Thallium', 204.3833, 1.62, [1, 3], 1.45],
  ['Pb', 'Lead', 207.2, 2.33, [2, 4], 1.46],
  ['Bi', 'Bismuth', 208.9804, 2.02, [3], 1.48],
  ['Po', 'Polonium', 210.0, 2.0, [-2, 2, 4], 1.4],
  ['At', 'Astatine', 210.0, 2.2, [-1, 1], 1.5],
  ['Rn', 'Radon', 220.0, 2.2, [], 1.5],
  ['Fr', 'Francium', 223.0, 0.7, [1], 2.6],
  ['Ra', 'Radium', 226.0, 0.9, [2], 2.21],
  ['Ac', 'Actinium', 227.0, 1.1, [3], 2.15],
  ['Th', 'Thorium', 232.03806, 1.3, [4], 2.06],
  ['Pa', 'Protactinium', 231.03588, 1.5, [5], 2.0],
  ['U', 'Uranium', 238.02891, 1.38, [6], 1.96],
  ['Np', 'Neptunium', 237.0, 1.36, [5], 1.9],
  ['Pu', 'Plutonium', 244.0, 1.28, [4], 1.87],
  ['Am', 'Americium', 243.0, 1.3, [3], 1.8],
  ['Cm', 'Curium', 247.0, 1.3, [3], 1.69],
  ['Bk', 'Berkelium', 247.0, 1.3, [3], NO_CORDERO_RADIUS],
  ['Cf', 'Californium', 251.0, 1.3, [3], NO_CORDERO_RADIUS],
  ['Es', 'Einsteinium', 252.0, 1.3, [3], NO_CORDERO_RADIUS],
  ['Fm', 'Fermium', 257.0, 1.3, [3], NO_CORDERO_RADIUS],
  ['Md', 'Mendelevium', 258.0, 1.3, [3], NO_CORDERO_RADIUS],
  ['No', 'Nobelium', 259.0, 1.3, [3], NO_CORDERO_RADIUS],
  ['Lr', 'Lawrencium', 262.0, 1.3, [3], NO_CORDERO_RADIUS],
  ['Rf', 'Rutherfordium', 267.0, undefined, [], NO_CORDERO_RADIUS],
  ['Db', 'Dubnium', 268.0, undefined, [], NO_CORDERO_RADIUS],
  ['Sg', 'Seaborgium', 269.0, undefined, [], NO_CORDERO_RADIUS],
  ['Bh', 'Bohrium', 270.0, undefined, [], NO_CORDERO_RADIUS],
  ['Hs', 'Hassium', 270.0, undefined, [], NO_CORDERO_RADIUS],
  ['Mt', 'Meitnerium', 278.0, undefined, [], NO_CORDERO_RADIUS],
  ['Ds', 'Darmstadtium', 281.0, undefined, [], NO_CORDERO_RADIUS],
  ['Rg', 'Roentgenium', 282.0, undefined, [], NO_CORDERO_RADIUS],
  ['Cn', 'Copernicium', 285.0, undefined, [], NO_CORDERO_RADIUS],
  ['Nh', 'Nihonium', 286.0, undefined, [], NO_CORDERO_RADIUS],
  ['Fl', 'Flerovium', 289.0, undefined, [], NO_CORDERO_RADIUS],
  ['Mc', 'Moscovium', 290.0, undefined, [], NO_CORDERO_RADIUS],
  ['Lv', 'Livermorium', 293.0, undefined, [], NO_CORDERO_RADIUS],
  ['Ts', 'Tennessine', 294.0, undefined, [], NO_CORDERO_RADIUS],
  ['Og', 'Oganesson', 294.0, undefined, [], NO_CORDERO_RADIUS],
];

export const ELEMENTS: readonly ElementInfo[] = Object.freeze(
  ROWS.map(([symbol, name, mass, paulingEN, oxidationStates, covalentRadius], index) =>
    Object.freeze({ symbol, Z: index + 1, name, mass, paulingEN, oxidationStates, covalentRadius }),
  ),
);

const BY_SYMBOL: ReadonlyMap<string, ElementInfo> = new Map(ELEMENTS.map((e) => [e.symbol, e]));

/** Looks an element up by its symbol, case-sensitively ('Co' is cobalt, 'CO' and 'co' are not symbols). */
export function getElement(symbol: string): ElementInfo | undefined {
  return BY_SYMBOL.get(symbol);
}

export function isElementSymbol(s: string): boolean {
  return BY_SYMBOL.has(s);
}

/** The element with atomic number z (1–118), or undefined. */
export function elementByZ(z: number): ElementInfo | undefined {
  return Number.isInteger(z) && z >= 1 && z <= ELEMENTS.length ? ELEMENTS[z - 1] : undefined;
}
