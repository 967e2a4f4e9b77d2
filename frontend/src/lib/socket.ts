// The one websocket: connect, reconnect with backoff, send commands, decode events.

import { decode } from "@msgpack/msgpack";
import type { ClientCommand, ServerEvent } from "./protocol.gen";

export type ConnectionState = "connecting" | "open" | "closed";

/** Why a socket closed: its close code and reason, and whether the server had spoken on it. */
export interface Drop {
  code: number;
  reason: string;
  /** False when the server never sent a message on this socket (unreachable, full, refused). */
  wasOpen: boolean;
}

export interface SocketHandlers {
  onEvent(event: ServerEvent): void;
  /** The new state; a "closed" that ends a connection attempt comes with its Drop. */
  onState(state: ConnectionState, drop?: Drop): void;
}

/** The subset of the DOM WebSocket this module uses (tests pass a fake). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

const OPEN = 1;
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

/** Close codes the server sends on purpose (RFC 6455 §7.4.1 and the IANA registry). */
export const CLOSE_POLICY_VIOLATION = 1008;
export const CLOSE_SERVICE_RESTART = 1012;
export const CLOSE_TRY_AGAIN_LATER = 1013;

// Checked against the union, so a new event type fails to compile until it is listed here.
const EVENT_TYPES: Record<ServerEvent["type"], true> = {
  hello: true,
  settings: true,
  dataset: true,
  frame: true,
  error: true,
  inspection: true,
  overfit_result: true,
  setup_file: true,
  speed: true,
  lanes: true,
  lanes_frame: true,
  sweep_plan: true,
  sweep_progress: true,
};

/** The websocket URL on the page's own host, ws: or wss: to match the page. */
export function socketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws`;
}

/**
 * Milliseconds to wait before reconnect attempt `attempt` (0-based): doubling up to a cap, then
 * a random half of it taken off ("equal jitter"), so a classroom of pages that lost the same
 * server do not all knock again in the same millisecond. `random` is in [0, 1).
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * What the page says after a drop, given what it said before: a retry nobody answered (1006
 * before any message) keeps the reason of the drop before it.
 */
export function dropProblem(previous: string | null, drop?: Drop): string | null {
  const unanswered = drop?.code === 1006 && !drop.wasOpen && previous !== null;
  return drop && !unanswered ? dropMessage(drop) : previous;
}

/** What the page says about a drop while it keeps reconnecting. */
export function dropMessage(drop: Drop): string {
  const reason = drop.reason.trim().replace(/[.\s]+$/, "");
  switch (drop.code) {
    case CLOSE_TRY_AGAIN_LATER: {
      const said = reason ? reason[0]!.toUpperCase() + reason.slice(1) : "The server is busy";
      return `${said}. This page keeps trying and joins when a place frees up.`;
    }
    case CLOSE_SERVICE_RESTART:
      return "The server is restarting — reconnecting…";
    case CLOSE_POLICY_VIOLATION:
      return `The server refused this page${reason ? `: ${reason}` : ""}. Trying again…`;
    default:
      return drop.wasOpen
        ? "Connection lost — reconnecting…"
        : "Cannot reach the server — trying again…";
  }
}

/** Decodes one websocket message: JSON text, or msgpack bytes. Null for an unknown type. */
export function decodeEvent(data: unknown): ServerEvent | null {
  let value: unknown;
  if (typeof data === "string") value = JSON.parse(data);
  else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) value = decode(data);
  else throw new Error(`unexpected websocket payload ${typeof data}`);
  if (typeof value !== "object" || value === null || !("type" in value)) {
    throw new Error("server message without a type");
  }
  const type = (value as { type: unknown }).type;
  return typeof type === "string" && type in EVENT_TYPES ? (value as ServerEvent) : null;
}

/**
 * One logical connection to /ws that survives drops by reconnecting.
 *
 * It counts as open from the server's first message (the hello), not from the handshake: a full
 * server accepts the socket and closes it at once with 1013, and that must neither flash
 * "connected" nor reset the backoff.
 */
export class PlaygroundSocket {
  private socket: WebSocketLike | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private heard = false;

  constructor(
    private readonly url: string,
    private readonly handlers: SocketHandlers,
    private readonly open: (url: string) => WebSocketLike = (url) =>
      new WebSocket(url) as unknown as WebSocketLike,
    private readonly random: () => number = Math.random,
  ) {}

  /** Opens the connection (and keeps reopening it until close()). */
  connect(): void {
    this.stopped = false;
    this.timer = null;
    this.heard = false;
    this.handlers.onState("connecting");
    const socket = this.open(this.url);
    socket.binaryType = "arraybuffer";
    socket.onmessage = (message) => this.receive(socket, message.data);
    socket.onclose = (event) => this.dropped(socket, event as Partial<CloseEvent>);
    socket.onerror = () => socket.close();
    this.socket = socket;
  }

  /** Sends one command; false when the socket is not open (the command is dropped). */
  send(command: ClientCommand): boolean {
    if (!this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(command));
    return true;
  }

  /** Closes for good: no more reconnects. */
  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
    this.handlers.onState("closed");
  }

  private receive(socket: WebSocketLike, data: unknown): void {
    if (socket !== this.socket) return;
    if (!this.heard) {
      this.heard = true;
      this.attempt = 0;
      this.handlers.onState("open");
    }
    let event: ServerEvent | null;
    try {
      event = decodeEvent(data);
    } catch (error) {
      const message = `unreadable message from the server: ${(error as Error).message}`;
      const none = { command: null, undo_step: null, diverged_at: null, request_id: null };
      event = { type: "error", message, ...none };
    }
    if (event) this.handlers.onEvent(event);
  }

  private dropped(socket: WebSocketLike, event: Partial<CloseEvent>): void {
    if (socket !== this.socket || this.stopped) return;
    this.socket = null;
    // A close without a close frame (server gone, network down) is 1006 to the browser.
    const drop = { code: event.code ?? 1006, reason: event.reason ?? "", wasOpen: this.heard };
    this.handlers.onState("closed", drop);
    this.timer = setTimeout(() => this.connect(), reconnectDelay(this.attempt++, this.random));
  }
}
