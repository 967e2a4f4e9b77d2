import { encode } from "@msgpack/msgpack";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ServerEvent } from "./protocol.gen";
import {
  CLOSE_POLICY_VIOLATION,
  CLOSE_SERVICE_RESTART,
  CLOSE_TRY_AGAIN_LATER,
  type ConnectionState,
  decodeEvent,
  type Drop,
  dropMessage,
  PlaygroundSocket,
  reconnectDelay,
  socketUrl,
  type WebSocketLike,
} from "./socket";

const HELLO = '{"type":"hello","version":"0","device":"cpu","settings":{}}';

class FakeSocket implements WebSocketLike {
  binaryType = "blob";
  readyState = 0;
  sent: string[] = [];
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1006, reason = "") {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  /** The handshake succeeded; the server has not spoken yet. */
  opened() {
    this.readyState = 1;
  }
  /** The handshake and the server's hello: a session. */
  greeted() {
    this.opened();
    this.onmessage?.({ data: HELLO });
  }
}

describe("decodeEvent", () => {
  it("reads JSON text", () => {
    expect(decodeEvent('{"type":"error","message":"x","command":null}')).toEqual({
      type: "error",
      message: "x",
      command: null,
    });
  });

  it("reads msgpack bytes, keeping binary fields as Uint8Array", () => {
    const bytes = encode({ type: "frame", step: 3, grid: { data: new Uint8Array([1, 2]) } });
    const event = decodeEvent(bytes) as Extract<ServerEvent, { type: "frame" }>;
    expect(event.step).toBe(3);
    expect(event.grid?.data).toEqual(new Uint8Array([1, 2]));
  });

  it("skips unknown types and rejects messages without one", () => {
    expect(decodeEvent('{"type":"from_the_future"}')).toBeNull();
    expect(() => decodeEvent("[1, 2]")).toThrow(/without a type/);
    expect(() => decodeEvent(42)).toThrow(/unexpected/);
  });
});

describe("socket helpers", () => {
  it("matches the page's scheme and host", () => {
    expect(socketUrl({ protocol: "http:", host: "127.0.0.1:8000" })).toBe(
      "ws://127.0.0.1:8000/ws?grid=page",
    );
    expect(socketUrl({ protocol: "https:", host: "example.org" })).toBe(
      "wss://example.org/ws?grid=page",
    );
    expect(socketUrl({ protocol: "http:", host: "h", search: "?grid=server" })).toBe("ws://h/ws");
  });

  it("backs off exponentially up to five seconds, jittered down by at most half", () => {
    const attempts = [0, 1, 2, 3, 4, 5, 10, 1000];
    expect(attempts.map((a) => reconnectDelay(a, () => 0.999999))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000, 5000,
    ]);
    expect(attempts.map((a) => reconnectDelay(a, () => 0))).toEqual([
      125, 250, 500, 1000, 2000, 2500, 2500, 2500,
    ]);
  });

  it("spreads the retries of many pages over the window", () => {
    const delays = Array.from({ length: 200 }, () => reconnectDelay(8));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2500);
    expect(Math.max(...delays)).toBeLessThanOrEqual(5000);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });

  it("says why the server closed, politely", () => {
    const drop = (code: number, reason = "", wasOpen = true): Drop => ({ code, reason, wasOpen });
    const busy = "server busy: 1 sessions open, try again later";
    expect(dropMessage(drop(CLOSE_TRY_AGAIN_LATER, busy, false))).toBe(
      "Server busy: 1 sessions open, try again later. This page keeps trying and joins when a " +
        "place frees up.",
    );
    expect(dropMessage(drop(CLOSE_TRY_AGAIN_LATER))).toMatch(/^The server is busy\. This page/);
    expect(dropMessage(drop(CLOSE_SERVICE_RESTART, "shutting down"))).toBe(
      "The server is restarting — reconnecting…",
    );
    expect(dropMessage(drop(CLOSE_POLICY_VIOLATION, "origin not allowed"))).toBe(
      "The server refused this page: origin not allowed. Trying again…",
    );
    expect(dropMessage(drop(CLOSE_POLICY_VIOLATION))).toBe(
      "The server refused this page. Trying again…",
    );
    expect(dropMessage(drop(1006))).toBe("Connection lost — reconnecting…");
    expect(dropMessage(drop(1006, "", false))).toBe("Cannot reach the server — trying again…");
  });
});

describe("PlaygroundSocket", () => {
  let sockets: FakeSocket[];
  let states: ConnectionState[];
  let drops: (Drop | undefined)[];
  let events: ServerEvent[];
  let socket: PlaygroundSocket;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    states = [];
    drops = [];
    events = [];
    socket = new PlaygroundSocket(
      "ws://test/ws",
      {
        onEvent: (e) => events.push(e),
        onState: (s, drop) => {
          states.push(s);
          if (s === "closed") drops.push(drop);
        },
      },
      () => {
        const fake = new FakeSocket();
        sockets.push(fake);
        return fake;
      },
      () => 0.999999, // the top of each jitter window, so the delays below are exact
    );
  });

  afterEach(() => {
    socket.close();
    vi.useRealTimers();
  });

  it("connects, sends JSON and decodes messages", () => {
    socket.connect();
    expect(socket.send({ type: "play" })).toBe(false);
    sockets[0]!.opened();
    expect(states).toEqual(["connecting"]); // open once the server speaks, not at the handshake
    expect(sockets[0]!.binaryType).toBe("arraybuffer");
    expect(socket.send({ type: "step", steps: 2 })).toBe(true);
    expect(sockets[0]!.sent).toEqual(['{"type":"step","steps":2}']);
    sockets[0]!.onmessage?.({ data: '{"type":"error","message":"m","command":null}' });
    sockets[0]!.onmessage?.({ data: "not json" });
    expect(events[0]).toEqual({ type: "error", message: "m", command: null });
    expect(events[1]?.type).toBe("error");
    expect(states).toEqual(["connecting", "open"]);
  });

  it("reconnects after a drop with growing delays, and resets them once the server spoke", () => {
    socket.connect();
    sockets[0]!.close();
    expect(states.at(-1)).toBe("closed");
    vi.advanceTimersByTime(249);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1]!.close();
    vi.advanceTimersByTime(499);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    sockets[2]!.greeted();
    sockets[2]!.close();
    vi.advanceTimersByTime(250);
    expect(sockets).toHaveLength(4);
    expect(states).toEqual([
      "connecting",
      "closed",
      "connecting",
      "closed",
      "connecting",
      "open",
      "closed",
      "connecting",
    ]);
  });

  it("passes each drop's code and reason on, and whether a session had begun", () => {
    socket.connect();
    sockets[0]!.greeted();
    sockets[0]!.close(CLOSE_SERVICE_RESTART, "server shutting down");
    vi.advanceTimersByTime(250);
    sockets[1]!.close();
    expect(drops).toEqual([
      { code: CLOSE_SERVICE_RESTART, reason: "server shutting down", wasOpen: true },
      { code: 1006, reason: "", wasOpen: false },
    ]);
  });

  it("keeps knocking on a full server with growing, capped delays and never shows it open", () => {
    socket.connect();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const latest = sockets.at(-1)!;
      latest.opened(); // a full server accepts the handshake, then closes at once
      latest.close(CLOSE_TRY_AGAIN_LATER, "server busy: 1 sessions open, try again later");
      let waited = 0;
      while (sockets.length === i + 1) {
        vi.advanceTimersByTime(50);
        waited += 50;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    expect(states).not.toContain("open");
    expect(drops.every((d) => d?.code === CLOSE_TRY_AGAIN_LATER && !d.wasOpen)).toBe(true);
    sockets.at(-1)!.greeted();
    expect(states.at(-1)).toBe("open");
    expect(events.at(-1)?.type).toBe("hello");
  });

  it("ignores a replaced socket's late messages and closes", () => {
    socket.connect();
    const first = sockets[0]!;
    first.close();
    vi.advanceTimersByTime(250);
    first.onmessage?.({ data: HELLO });
    first.onclose?.({ code: 1000, reason: "" });
    expect(events).toEqual([]);
    expect(states).toEqual(["connecting", "closed", "connecting"]);
  });

  it("stops reconnecting after close()", () => {
    socket.connect();
    socket.close();
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
  });
});
