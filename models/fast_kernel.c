/* Plain SGD on the mean binary cross-entropy of a small MLP, many minibatches in one call.
 *
 * The same maths as FastMLP's NumPy step (models/fast_mlp.py), one minibatch after another:
 * forward through Linear + tanh/ReLU/identity layers to one logit per point, the logit's
 * gradient (sigmoid(logit) - y) / B scaled by the learning rate, backward through the layers
 * (each delta passes a layer's weights before that layer's update, as torch has it), and
 * w -= lr * gradient. models/fast_build.py builds this file with the system's C compiler and
 * calls it through ctypes; without a compiler the NumPy step runs instead. No fast-math: NaN
 * and inf go through the arithmetic as IEEE has them, so a diverging run diverges here too.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

enum { KIND_LINEAR = 0, KIND_TANH = 1, KIND_RELU = 2 };
#define MAX_LAYERS 64
#define MAX_WIDTH 4096

/* tanh of a float within the float's rounding (at most 1 ulp from the correctly rounded value,
 * like glibc's tanhf and torch's): exp(2|z|) in double precision, 2^k times a degree-8 Taylor
 * polynomial of e^g with |g| <= ln(2)/2 (relative error < 1e-10), then (e - 1) / (e + 1).
 * glibc's tanhf was 40% of a spiral step; this one is inlined and branch-free. */
static inline float tanh_f(float z) {
    double a = fabs((double)z);
    a = a > 20.0 ? 20.0 : a;                       /* tanh is 1 in float from ~9.01; NaN passes */
    const double t = a * 2.8853900817779268;       /* 2a / ln 2 */
    const double k = (t + 0x1.8p52) - 0x1.8p52;    /* the nearest integer */
    const double g = (t - k) * 0.6931471805599453; /* 2a = k ln 2 + g */
    double p = 1.0 / 40320;
    p = p * g + 1.0 / 5040;
    p = p * g + 1.0 / 720;
    p = p * g + 1.0 / 120;
    p = p * g + 1.0 / 24;
    p = p * g + 1.0 / 6;
    p = p * g + 0.5;
    p = p * g + 1.0;
    p = p * g + 1.0;
    const uint64_t bits = (uint64_t)((int64_t)k + 1023) << 52; /* 2^k */
    double scale;
    memcpy(&scale, &bits, sizeof scale);
    const double e = p * scale;
    const double r = (e - 1.0) / (e + 1.0);
    return (float)copysign(a < 0x1p-13 ? a : r, (double)z); /* below 2^-13 tanh rounds to z */
}

/* out = tanh(z), elementwise (out may be z); the tests hold it to float64's tanh. */
void nnp_tanh(const float *z, float *out, long n) {
    for (long j = 0; j < n; j++) out[j] = tanh_f(z[j]);
}

/* The size of the work buffer nnp_sgd_steps needs, in floats. */
long nnp_work_floats(int layers, const int *sizes, int batch) {
    long total = 0, widest = 0;
    for (int l = 1; l <= layers; l++) total += (long)batch * sizes[l];
    for (int l = 0; l <= layers; l++)
        if (sizes[l] > widest) widest = sizes[l];
    return total + 2L * batch * widest;
}

/* z (batch, out) = a (batch, in) @ w.T + b, then the activation, in place. */
static void forward(const float *a, const float *w, const float *b, float *z, int batch, int in,
                    int out, int kind) {
    for (int p = 0; p < batch; p++) {
        const float *ap = a + (long)p * in;
        float *zp = z + (long)p * out;
        for (int o = 0; o < out; o++) {
            const float *wo = w + (long)o * in;
            float sum = 0.0f;
            for (int i = 0; i < in; i++) sum += ap[i] * wo[i];
            zp[o] = sum + b[o];
        }
    }
    const long n = (long)batch * out;
    if (kind == KIND_TANH) nnp_tanh(z, z, n);
    else if (kind == KIND_RELU)
        for (long j = 0; j < n; j++) z[j] = z[j] < 0.0f ? 0.0f : z[j]; /* NaN passes, as in torch */
}

/* below (batch, in) = (delta @ w) * the derivative of the activation whose output is a. */
static void backward(const float *delta, const float *w, const float *a, float *below, int batch,
                     int in, int out, int kind) {
    for (int p = 0; p < batch; p++) {
        float *bp = below + (long)p * in;
        const float *dp = delta + (long)p * out;
        for (int i = 0; i < in; i++) bp[i] = 0.0f;
        for (int o = 0; o < out; o++) {
            const float d = dp[o], *wo = w + (long)o * in;
            for (int i = 0; i < in; i++) bp[i] += d * wo[i];
        }
    }
    const long n = (long)batch * in;
    if (kind == KIND_TANH)
        for (long j = 0; j < n; j++) below[j] -= below[j] * (a[j] * a[j]);
    else if (kind == KIND_RELU)
        for (long j = 0; j < n; j++) below[j] = a[j] > 0.0f ? below[j] : 0.0f;
}

/* w -= delta.T @ a and b -= the column sums of delta (delta already carries the rate). */
static void update(const float *delta, const float *a, float *w, float *b, int batch, int in,
                   int out) {
    float row[MAX_WIDTH];
    for (int o = 0; o < out; o++) {
        float db = 0.0f;
        for (int p = 0; p < batch; p++) db += delta[(long)p * out + o];
        b[o] -= db;
        for (int i = 0; i < in; i++) row[i] = 0.0f;
        for (int p = 0; p < batch; p++) {
            const float d = delta[(long)p * out + o], *ap = a + (long)p * in;
            for (int i = 0; i < in; i++) row[i] += d * ap[i];
        }
        float *wo = w + (long)o * in;
        for (int i = 0; i < in; i++) wo[i] -= row[i];
    }
}

/* Train `steps` minibatches of `batch` points; returns 0, or -1 for shapes it does not take.
 *
 * sizes: layers + 1 widths (inputs first, 1 last); kinds: each layer's activation;
 * weights[l]: (sizes[l+1], sizes[l]) row-major, biases[l]: sizes[l+1], both updated in place;
 * x: (steps * batch, sizes[0]); y: steps * batch targets; logits: steps * batch outputs, each
 * before its step's update; work: nnp_work_floats floats. */
int nnp_sgd_steps(int layers, const int *sizes, const int *kinds, float *const *weights,
                  float *const *biases, const float *x, const float *y, int steps, int batch,
                  double lr, float *logits, float *work) {
    if (layers < 1 || layers > MAX_LAYERS || sizes[layers] != 1) return -1;
    const float *acts[MAX_LAYERS + 1]; /* each layer's input, then the logits */
    long widest = 0;
    float *at = work;
    for (int l = 0; l <= layers; l++) {
        if (sizes[l] < 1 || sizes[l] > MAX_WIDTH) return -1;
        if (sizes[l] > widest) widest = sizes[l];
        if (l > 0) {
            acts[l] = at;
            at += (long)batch * sizes[l];
        }
    }
    float *delta = at, *below = at + (long)batch * widest;
    const float scale = (float)(lr / batch); /* as the NumPy step's np.float32(lr / B) */
    for (int s = 0; s < steps; s++) {
        acts[0] = x + (long)s * batch * sizes[0];
        for (int l = 0; l < layers; l++)
            forward(acts[l], weights[l], biases[l], (float *)acts[l + 1], batch, sizes[l],
                    sizes[l + 1], kinds[l]);
        const float *ys = y + (long)s * batch, *outs = acts[layers];
        for (int p = 0; p < batch; p++) {
            logits[(long)s * batch + p] = outs[p];
            delta[p] = (1.0f / (1.0f + expf(-outs[p])) - ys[p]) * scale;
        }
        for (int l = layers - 1; l >= 0; l--) {
            if (l > 0) /* through this layer's weights before their update, as torch has it */
                backward(delta, weights[l], acts[l], below, batch, sizes[l], sizes[l + 1],
                         kinds[l - 1]);
            update(delta, acts[l], weights[l], biases[l], batch, sizes[l], sizes[l + 1]);
            float *swap = delta;
            delta = below;
            below = swap;
        }
    }
    return 0;
}
