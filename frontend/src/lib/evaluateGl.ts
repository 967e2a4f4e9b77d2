// The page's evaluator on WebGL2: the same grid as evaluate.ts, one fragment per grid point, in
// float32 (highp). The network's shape becomes an unrolled fragment shader (compiled once per
// shape), its numbers a float texture uploaded each frame; the planes are read back as floats,
// so the views get the same DecodedGrid as from the server. evaluate.ts stays the reference: the
// browser test holds this one to it. Where WebGL2 or float render targets are missing, glEvaluator
// returns null and the worker keeps the JavaScript loops.

import type { CompiledNet } from "./evaluate";
import type { DecodedGrid } from "./grid";

type Box = readonly [number, number, number, number];
type GL = WebGL2RenderingContext;

const TEXTURE_WIDTH = 1024;

const FEATURES: Record<string, string> = {
  x1: "x1",
  x2: "x2",
  x1_squared: "x1 * x1",
  x2_squared: "x2 * x2",
  x1_x2: "x1 * x2",
  sin_x1: "sin(x1)",
  sin_x2: "sin(x2)",
};

/** GLSL of each activation of z, as evaluate.ts computes it. */
const ACTIVATIONS: Record<string, string> = {
  relu: "max(z, 0.0)",
  leaky_relu: "(z > 0.0 ? z : 0.01 * z)",
  elu: "(z > 0.0 ? z : exp(z) - 1.0)",
  gelu: "0.5 * z * (1.0 + erf_(z * 0.7071067811865476))",
  hardtanh: "clamp(z, -1.0, 1.0)",
  tanh: "(1.0 - 2.0 / (exp(2.0 * z) + 1.0))",
  sigmoid: "(1.0 / (1.0 + exp(-z)))",
  softplus: "softplus_(z)",
  silu: "(z / (1.0 + exp(-z)))",
  mish: "(z * (1.0 - 2.0 / (exp(2.0 * softplus_(z)) + 1.0)))",
  sin: "sin(z)",
  linear: "z",
};

const PRELUDE = `#version 300 es
precision highp float;
precision highp int;
uniform highp sampler2D W;
uniform vec4 box;
uniform float side;
uniform bool line;
out vec4 result;
float w(int i) { return texelFetch(W, ivec2(i % ${TEXTURE_WIDTH}, i / ${TEXTURE_WIDTH}), 0).r; }
float lin(float a, float b, float n, float i) {
  float s = (b - a) / max(1.0, n - 1.0);
  return i < floor(n / 2.0) ? a + s * i : b - s * (n - 1.0 - i);
}
float softplus_(float z) { return z > 20.0 ? z : log(1.0 + exp(z)); }
float erf_(float x) {
  // Abramowitz & Stegun 7.1.26: |error| < 1.5e-7.
  float t = 1.0 / (1.0 + 0.3275911 * abs(x));
  float y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
    + 0.254829592) * t * exp(-x * x);
  return sign(x) * y;
}
`;

/** The shader and the texture's values for `net`; the source depends on its shape only. */
function generate(net: CompiledNet): { source: string; values: Float32Array } {
  const values: number[] = [];
  const at = (v: number): string => `w(${values.push(v) - 1})`;
  const body: string[] = [
    "float c = floor(gl_FragCoord.x); float r = floor(gl_FragCoord.y);",
    "float hx = (box.y - box.x) / (2.0 * side); float hy = (box.w - box.z) / (2.0 * side);",
    "float x1 = line ? lin(box.x, box.y, side, c) : lin(box.x + hx, box.y - hx, side, c);",
    "float x2 = line ? 0.0 : lin(box.w - hy, box.z + hy, side, r);",
  ];
  let names = net.featureNames.map((name, i) => {
    body.push(`float f${i} = ${FEATURES[name] ?? "0.0"};`);
    return `f${i}`;
  });
  net.ops.forEach((op, layer) => {
    const unit = (i: number) => `v${layer}_${i}`;
    if (op.kind === "linear") {
      const fanIn = names.length;
      names = Array.from({ length: op.units }, (_, o) => {
        const terms = names.map((name, i) => `${at(op.weight[o * fanIn + i]!)} * ${name}`);
        body.push(`float ${unit(o)} = ${[...terms, at(op.bias[o]!)].join(" + ")};`);
        return unit(o);
      });
    } else if (op.kind === "batch_norm") {
      names = names.map((name, i) => {
        body.push(`float ${unit(i)} = ${name} * ${at(op.scale[i]!)} + ${at(op.shift[i]!)};`);
        return unit(i);
      });
    } else if (op.kind === "layer_norm") {
      const n = names.length;
      body.push(`float m${layer} = (${names.join(" + ")}) / ${n}.0;`);
      const squares = names.map((name) => `(${name} - m${layer}) * (${name} - m${layer})`);
      body.push(`float s${layer} = inversesqrt((${squares.join(" + ")}) / ${n}.0 + 1e-5);`);
      names = names.map((name, i) => {
        const scaled = `(${name} - m${layer}) * s${layer}`;
        body.push(`float ${unit(i)} = ${scaled} * ${at(op.weight[i]!)} + ${at(op.bias[i]!)};`);
        return unit(i);
      });
    } else {
      const expression = ACTIVATIONS[op.name];
      if (!expression) throw new Error(`no GLSL for ${op.name}`);
      names = names.map((name, i) => {
        body.push(`float ${unit(i)}; { float z = ${name}; ${unit(i)} = ${expression}; }`);
        return unit(i);
      });
    }
  });
  body.push(...head(net.head, names));
  const source = `${PRELUDE}void main() {\n${body.join("\n")}\n}\n`;
  return { source, values: Float32Array.from(values) };
}

function head(kind: CompiledNet["head"], outputs: string[]): string[] {
  if (kind === "sigmoid") return [`result = vec4(1.0 / (1.0 + exp(-${outputs[0]})), 0, 0, 1);`];
  if (kind === "identity") return [`result = vec4(clamp(${outputs[0]}, -6e4, 6e4), 0, 0, 1);`];
  const lines = [`float top = ${outputs[0]}; float best = 0.0;`];
  outputs.forEach((o, i) => i > 0 && lines.push(`if (${o} > top) { top = ${o}; best = ${i}.0; }`));
  lines.push(`float sum = ${outputs.map((o) => `exp(${o} - top)`).join(" + ")};`);
  lines.push("result = vec4(best, 1.0 / sum, 0, 1);");
  return lines;
}

const VERTEX = `#version 300 es
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(p * 2.0 - 1.0, 0, 1);
}`;

export class GlEvaluator {
  private readonly programs = new Map<string, WebGLProgram>();
  private readonly weights: WebGLTexture;
  private readonly target: WebGLTexture;
  private readonly framebuffer: WebGLFramebuffer;
  private targetSize = [0, 0];

  constructor(private readonly gl: GL) {
    this.weights = gl.createTexture()!;
    this.target = gl.createTexture()!;
    this.framebuffer = gl.createFramebuffer()!;
  }

  /** The grid of `net` over `box`, as evaluateGrid makes it. */
  evaluate(net: CompiledNet, box: Box, side: number, line: boolean): DecodedGrid {
    const gl = this.gl;
    const { source, values } = generate(net);
    const program = this.program(source);
    gl.useProgram(program);
    this.upload(values);
    const height = line ? 1 : side;
    this.resize(side, height);
    gl.uniform4f(gl.getUniformLocation(program, "box"), box[0], box[1], box[2], box[3]);
    gl.uniform1f(gl.getUniformLocation(program, "side"), side);
    gl.uniform1i(gl.getUniformLocation(program, "line"), line ? 1 : 0);
    gl.uniform1i(gl.getUniformLocation(program, "W"), 0);
    gl.viewport(0, 0, side, height);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    const pixels = new Float32Array(side * height * 4);
    gl.readPixels(0, 0, side, height, gl.RGBA, gl.FLOAT, pixels);
    const n = side * height;
    const planes = (net.head === "softmax" ? [0, 1] : [0]).map((channel) => {
      const plane = new Float32Array(n);
      for (let k = 0; k < n; k++) plane[k] = pixels[k * 4 + channel]!;
      return plane;
    });
    const kind =
      net.head === "sigmoid" ? "probability" : net.head === "softmax" ? "class" : "value";
    return { kind, width: side, height, planes };
  }

  private program(source: string): WebGLProgram {
    const cached = this.programs.get(source);
    if (cached) return cached;
    const gl = this.gl;
    const program = gl.createProgram()!;
    for (const [type, text] of [
      [gl.VERTEX_SHADER, VERTEX],
      [gl.FRAGMENT_SHADER, source],
    ] as const) {
      const shader = gl.createShader(type)!;
      gl.shaderSource(shader, text);
      gl.compileShader(shader);
      if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) {
        throw new Error(`shader: ${gl.getShaderInfoLog(shader)}`);
      }
      gl.attachShader(program, shader);
    }
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) {
      throw new Error(`program: ${gl.getProgramInfoLog(program)}`);
    }
    if (this.programs.size > 8) this.programs.clear();
    this.programs.set(source, program);
    return program;
  }

  private upload(values: Float32Array): void {
    const gl = this.gl;
    const width = Math.min(TEXTURE_WIDTH, Math.max(1, values.length));
    const height = Math.max(1, Math.ceil(values.length / TEXTURE_WIDTH));
    const padded = new Float32Array(width * height);
    padded.set(values);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.weights);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, width, height, 0, gl.RED, gl.FLOAT, padded);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  }

  private resize(width: number, height: number): void {
    const gl = this.gl;
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    if (this.targetSize[0] === width && this.targetSize[1] === height) return;
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.target);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA32F, width, height, 0, gl.RGBA, gl.FLOAT, null);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, this.target, 0);
    this.targetSize = [width, height];
  }
}

/** Renderers that draw on the CPU: there the shader is no faster than the JavaScript loops
 * (measured: 5.3 vs 5.3 redraws/s at 256×256, 19 vs 32 at 128×128 on SwiftShader). */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software/i;

/**
 * A WebGL2 evaluator on an offscreen canvas, or null where float render targets are missing or
 * (unless `force`) the renderer is software.
 */
export function glEvaluator(force = false): GlEvaluator | null {
  if (typeof OffscreenCanvas === "undefined") return null;
  const gl = new OffscreenCanvas(1, 1).getContext("webgl2");
  if (!gl || !gl.getExtension("EXT_color_buffer_float")) return null;
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return force || !SOFTWARE.test(renderer) ? new GlEvaluator(gl) : null;
}
