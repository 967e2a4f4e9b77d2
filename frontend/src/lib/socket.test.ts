import { encode } from "@msgpack/msgpack";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ServerEvent } from "./protocol.gen";
import {
  type ConnectionState,
  decodeEvent,
  PlaygroundSocket,
  reconnectDelay,
  socketUrl,
  type WebSocketLike,
} from "./socket";

class FakeSocket implements WebSocketLike {
  binaryType = "blob";
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
  opened() {
    this.readyState = 1;
    this.onopen?.({});
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
    expect(event.grid.data).toEqual(new Uint8Array([1, 2]));
  });

  it("skips unknown types and rejects messages without one", () => {
    expect(decodeEvent('{"type":"from_the_future"}')).toBeNull();
    expect(() => decodeEvent("[1, 2]")).toThrow(/without a type/);
    expect(() => decodeEvent(42)).toThrow(/unexpected/);
  });
});

describe("socket helpers", () => {
  it("matches the page's scheme and host", () => {
    expect(socketUrl({ protocol: "http:", host: "127.0.0.1:8000" })).toBe("ws://127.0.0.1:8000/ws");
    expect(socketUrl({ protocol: "https:", host: "example.org" })).toBe("wss://example.org/ws");
  });

  it("backs off exponentially up to five seconds", () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(reconnectDelay)).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000,
    ]);
  });
});

describe("PlaygroundSocket", () => {
  let sockets: FakeSocket[];
  let states: ConnectionState[];
  let events: ServerEvent[];
  let socket: PlaygroundSocket;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    states = [];
    events = [];
    socket = new PlaygroundSocket(
      "ws://test/ws",
      { onEvent: (e) => events.push(e), onState: (s) => states.push(s) },
      () => {
        const fake = new FakeSocket();
        sockets.push(fake);
        return fake;
      },
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
    expect(sockets[0]!.binaryType).toBe("arraybuffer");
    expect(socket.send({ type: "step", steps: 2 })).toBe(true);
    expect(sockets[0]!.sent).toEqual(['{"type":"step","steps":2}']);
    sockets[0]!.onmessage?.({ data: '{"type":"error","message":"m","command":null}' });
    sockets[0]!.onmessage?.({ data: "not json" });
    expect(events[0]).toEqual({ type: "error", message: "m", command: null });
    expect(events[1]?.type).toBe("error");
    expect(states).toEqual(["connecting", "open"]);
  });

  it("reconnects after a drop with growing delays, and resets them once open", () => {
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
    sockets[2]!.opened();
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

  it("stops reconnecting after close()", () => {
    socket.connect();
    socket.close();
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(1);
  });
});
