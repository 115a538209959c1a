// The single owner of acquireVsCodeApi() (it may be called once per webview, and the object is
// not exposed globally: vscode-standards.md §1). Every panel talks to its host through
// connectToHost(), which checks each incoming message with the panel's protocol validator and
// drops (and reports) anything malformed instead of acting on it.

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

let api: VsCodeWebviewApi | undefined;

function vscodeApi(): VsCodeWebviewApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** Returns the message typed when valid, or a reason why it is not. */
export type MessageValidator<T> = (value: unknown) => { ok: true; value: T } | { ok: false; error: string };

export interface HostChannel<ToHost, ToWebview, State> {
  post(message: ToHost): void;
  /** Handles valid messages from the host; returns a function that stops listening. */
  onMessage(handler: (message: ToWebview) => void): () => void;
  getState(): State | undefined;
  setState(state: State): void;
}

export interface ConnectOptions<ToWebview, State> {
  validate: MessageValidator<ToWebview>;
  /** Checks a saved state before it is trusted (it survives extension updates). */
  validateState?: (value: unknown) => value is State;
  /** Called with the reason for every dropped message (e.g. to tell the host). */
  onInvalid?: (error: string) => void;
}

export function connectToHost<ToHost, ToWebview, State = unknown>(options: ConnectOptions<ToWebview, State>): HostChannel<ToHost, ToWebview, State> {
  const vscode = vscodeApi();
  return {
    post: (message) => vscode.postMessage(message),
    onMessage(handler) {
      const listener = (event: MessageEvent<unknown>) => {
        const checked = options.validate(event.data);
        if (checked.ok) handler(checked.value);
        else options.onInvalid?.(checked.error);
      };
      window.addEventListener('message', listener);
      return () => window.removeEventListener('message', listener);
    },
    getState() {
      const state = vscode.getState();
      if (state === undefined || state === null) return undefined;
      return !options.validateState || options.validateState(state) ? (state as State) : undefined;
    },
    setState: (state) => vscode.setState(state),
  };
}

/** The JSON the host put in <script type="application/json" id="bootstrap"> (see src/extension/webviews/html.ts). */
export function readBootstrap(): unknown {
  const element = document.getElementById('bootstrap');
  if (!element?.textContent) return undefined;
  try {
    return JSON.parse(element.textContent) as unknown;
  } catch {
    return undefined;
  }
}
