// Native CPU kernels for Crystal GAN's training on the tfjs wasm backend (bench/NOTES.md, "Fast
// CPU path"). Every function works in place on Float32Arrays that the caller takes as views of
// the wasm heap, so nothing is copied: the JS side allocates the output tensor first, then passes
// views of inputs and output.
//
// OpenBLAS is opened with dlopen at load time rather than linked: the addon then builds with only
// a C compiler and Node's headers, and where libopenblas.so.0 is missing `require` throws one
// clear message and the caller falls back to the plain wasm kernels.
#include <dlfcn.h>
#include <math.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// CBLAS constants (cblas.h): row-major order, no transpose, transpose.
enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112 };

typedef void (*SgemmFn)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a, int lda,
                        const float *b, int ldb, float beta, float *c, int ldc);
typedef void (*SetThreadsFn)(int threads);
typedef int (*GetThreadsFn)(void);
typedef char *(*GetConfigFn)(void);

static struct {
  void *library;
  SgemmFn sgemm;
  SetThreadsFn set_threads;
  GetThreadsFn get_threads;
  GetConfigFn get_config;
} blas;

static const char *const BLAS_LIBRARIES[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"};

/** Opens OpenBLAS once per process; returns NULL or an error message. */
static const char *open_blas(void) {
  if (blas.sgemm) return NULL;
  for (size_t i = 0; i < sizeof BLAS_LIBRARIES / sizeof BLAS_LIBRARIES[0] && !blas.library; i++) {
    blas.library = dlopen(BLAS_LIBRARIES[i], RTLD_NOW | RTLD_LOCAL);
  }
  if (!blas.library) return "OpenBLAS not found (libopenblas.so.0; Debian: apt-get install libopenblas0-pthread)";
  blas.sgemm = (SgemmFn)dlsym(blas.library, "cblas_sgemm");
  blas.set_threads = (SetThreadsFn)dlsym(blas.library, "openblas_set_num_threads");
  blas.get_threads = (GetThreadsFn)dlsym(blas.library, "openblas_get_num_threads");
  blas.get_config = (GetConfigFn)dlsym(blas.library, "openblas_get_config");
  if (!blas.sgemm) return "the BLAS library found has no cblas_sgemm";
  // One thread unless the caller asks for more (setThreads): fair against one-thread references,
  // and OpenBLAS's own default (every core) contends with the other processes of a shared machine.
  if (blas.set_threads) blas.set_threads(1);
  return NULL;
}

// ---------------------------------------------------------------------------------------------
// Argument reading. Each failure throws a JS TypeError/RangeError and returns false.

typedef struct {
  napi_env env;
  napi_value *argv;
  size_t argc;
} Args;

/** Throws "argument N must be WHAT" as a TypeError; returns false for the caller to pass on. */
static bool arg_type_error(Args *args, size_t index, const char *what) {
  char message[64];
  snprintf(message, sizeof message, "argument %zu must be %s", index, what);
  napi_throw_type_error(args->env, NULL, message);
  return false;
}

static bool arg_int(Args *args, size_t index, int32_t *out) {
  if (index >= args->argc || napi_get_value_int32(args->env, args->argv[index], out) != napi_ok) {
    return arg_type_error(args, index, "a number");
  }
  return true;
}

static bool arg_bool(Args *args, size_t index, bool *out) {
  if (index >= args->argc || napi_get_value_bool(args->env, args->argv[index], out) != napi_ok) {
    return arg_type_error(args, index, "a boolean");
  }
  return true;
}

/** A Float32Array argument with at least `needed` elements (checked: the C side never reads past it). */
static bool arg_floats(Args *args, size_t index, int64_t needed, float **out) {
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (index < args->argc) napi_is_typedarray(args->env, args->argv[index], &is_typed);
  if (!is_typed || napi_get_typedarray_info(args->env, args->argv[index], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != napi_float32_array) {
    return arg_type_error(args, index, "a Float32Array");
  }
  if (needed < 0 || (int64_t)length < needed) {
    char message[128];
    snprintf(message, sizeof message, "argument %zu has %zu elements, the shapes need %lld", index, length, (long long)needed);
    napi_throw_range_error(args->env, NULL, message);
    return false;
  }
  *out = (float *)data;
  return true;
}

static Args read_args(napi_env env, napi_callback_info info, napi_value *argv, size_t capacity) {
  Args args = {env, argv, capacity};
  napi_get_cb_info(env, info, &args.argc, argv, NULL, NULL);
  return args;
}

// ---------------------------------------------------------------------------------------------
// sgemm(a, b, c, batch, m, n, k, transposeA, transposeB, strideA, strideB):
// c[i] = op(a[i])·op(b[i]) for i < batch, row-major, a[i] at i·strideA (0 broadcasts one matrix).

static napi_value sgemm(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  Args args = read_args(env, info, argv, 11);
  int32_t batch, m, n, k, stride_a, stride_b;
  bool trans_a, trans_b;
  float *a, *b, *c;
  if (!arg_int(&args, 3, &batch) || !arg_int(&args, 4, &m) || !arg_int(&args, 5, &n) || !arg_int(&args, 6, &k) ||
      !arg_bool(&args, 7, &trans_a) || !arg_bool(&args, 8, &trans_b) || !arg_int(&args, 9, &stride_a) ||
      !arg_int(&args, 10, &stride_b))
    return NULL;
  if (batch < 1 || m < 0 || n < 0 || k < 0 || stride_a < 0 || stride_b < 0) {
    napi_throw_range_error(env, NULL, "sgemm: negative size or stride");
    return NULL;
  }
  int64_t last = (int64_t)batch - 1;
  if (!arg_floats(&args, 0, last * stride_a + (int64_t)m * k, &a) || !arg_floats(&args, 1, last * stride_b + (int64_t)k * n, &b) ||
      !arg_floats(&args, 2, (int64_t)batch * m * n, &c))
    return NULL;
  if (m == 0 || n == 0) return NULL;
  if (k == 0) {
    memset(c, 0, sizeof(float) * (size_t)batch * (size_t)m * (size_t)n);
    return NULL;
  }
  for (int64_t i = 0; i < batch; i++) {
    blas.sgemm(CBLAS_ROW_MAJOR, trans_a ? CBLAS_TRANS : CBLAS_NO_TRANS, trans_b ? CBLAS_TRANS : CBLAS_NO_TRANS, m, n, k, 1.0f,
               a + i * stride_a, trans_a ? m : k, b + i * stride_b, trans_b ? k : n, 0.0f, c + i * (int64_t)m * n, n);
  }
  return NULL;
}

// ---------------------------------------------------------------------------------------------
// The transposed convolution's scatter-add (col2im) and gather (im2col), the same loops as the
// JS kernels in src/ml/tfKernels.ts (same memory order, so the same float sums in the same order).
// Taps are [B·inH·inW, kw, outC, kh]; images [B, outH, outW, outC]. Geometry arguments, in order:
// batch, inH, inW, outH, outW, outC, kernel, strideH, strideW.

typedef struct {
  int32_t batch, in_h, in_w, out_h, out_w, out_c, kernel, stride_h, stride_w;
  int32_t *rows;    // [in_h·kernel]: output row of input row i through tap t, or -1
  int32_t *columns; // [in_w·kernel]
} Geometry;

static int32_t same_pad_before(int32_t in_size, int32_t kernel, int32_t stride, int32_t out_size) {
  int32_t total = (in_size - 1) * stride + kernel - out_size;
  return total > 0 ? total / 2 : 0;
}

static int32_t *landing_table(int32_t in_size, int32_t kernel, int32_t stride, int32_t out_size) {
  int32_t *table = malloc(sizeof(int32_t) * (size_t)in_size * (size_t)kernel);
  if (!table) return NULL;
  int32_t pad = same_pad_before(in_size, kernel, stride, out_size);
  for (int32_t i = 0; i < in_size; i++) {
    for (int32_t t = 0; t < kernel; t++) {
      int32_t o = i * stride + t - pad;
      table[i * kernel + t] = o >= 0 && o < out_size ? o : -1;
    }
  }
  return table;
}

static void free_geometry(Geometry *g) {
  free(g->rows);
  free(g->columns);
}

/** Reads the 9 geometry fields from argv[first..first+8] (every one positive). */
static bool read_geometry_fields(Args *args, size_t first, Geometry *g) {
  memset(g, 0, sizeof *g);
  int32_t *fields[] = {&g->batch, &g->in_h, &g->in_w, &g->out_h, &g->out_w, &g->out_c, &g->kernel, &g->stride_h, &g->stride_w};
  for (size_t i = 0; i < 9; i++) {
    if (!arg_int(args, first + i, fields[i])) return false;
    if (*fields[i] < 1) {
      napi_throw_range_error(args->env, NULL, "tap geometry: every size must be positive");
      return false;
    }
  }
  return true;
}

/** Builds the landing tables of a geometry whose fields are read; false (and a JS error) when out of memory. */
static bool make_landing_tables(Args *args, Geometry *g) {
  g->rows = landing_table(g->in_h, g->kernel, g->stride_h, g->out_h);
  g->columns = landing_table(g->in_w, g->kernel, g->stride_w, g->out_w);
  if (!g->rows || !g->columns) {
    free_geometry(g);
    napi_throw_error(args->env, NULL, "tap geometry: out of memory");
    return false;
  }
  return true;
}

static int64_t pixels_per_sample(const Geometry *g) { return (int64_t)g->in_h * g->in_w; }
static int64_t taps_per_pixel(const Geometry *g) { return (int64_t)g->kernel * g->out_c * g->kernel; }
static int64_t image_per_sample(const Geometry *g) { return (int64_t)g->out_h * g->out_w * g->out_c; }

/** Reads the geometry from argv[2..10] and checks both arrays' lengths. */
static bool read_geometry(Args *args, Geometry *g, float **taps, float **image) {
  if (!read_geometry_fields(args, 2, g)) return false;
  int64_t tap_count = g->batch * pixels_per_sample(g) * taps_per_pixel(g);
  int64_t image_count = g->batch * image_per_sample(g);
  if (!arg_floats(args, 0, tap_count, taps) || !arg_floats(args, 1, image_count, image)) return false;
  return make_landing_tables(args, g);
}

/** Calls visit-free loops for one direction: scatter (taps → image, +=) or gather (image → taps, =). */
static void walk_taps(const Geometry *g, float *taps, float *image, bool scatter) {
  const int32_t k = g->kernel, out_c = g->out_c;
  const int64_t per_column = (int64_t)out_c * k;
  int64_t column_start = 0;
  for (int32_t b = 0; b < g->batch; b++) {
    for (int32_t ih = 0; ih < g->in_h; ih++) {
      for (int32_t iw = 0; iw < g->in_w; iw++) {
        for (int32_t kw = 0; kw < k; kw++, column_start += per_column) {
          const int32_t ow = g->columns[iw * k + kw];
          if (ow < 0) continue;
          for (int32_t kh = 0; kh < k; kh++) {
            const int32_t oh = g->rows[ih * k + kh];
            if (oh < 0) continue;
            float *pixel = image + (((int64_t)b * g->out_h + oh) * g->out_w + ow) * out_c;
            float *tap = taps + column_start + kh;
            if (scatter) {
              for (int32_t oc = 0; oc < out_c; oc++) pixel[oc] += tap[(int64_t)oc * k];
            } else {
              for (int32_t oc = 0; oc < out_c; oc++) tap[(int64_t)oc * k] = pixel[oc];
            }
          }
        }
      }
    }
  }
}

// tapsToImage(taps, image, ...geometry): image = col2im(taps).
static napi_value taps_to_image(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  Args args = read_args(env, info, argv, 11);
  Geometry g;
  float *taps, *image;
  if (!read_geometry(&args, &g, &taps, &image)) return NULL;
  memset(image, 0, sizeof(float) * (size_t)g.batch * g.out_h * g.out_w * g.out_c);
  walk_taps(&g, taps, image, true);
  free_geometry(&g);
  return NULL;
}

// imageToTaps(taps, image, ...geometry): taps = im2col(image), 0 where a tap lands outside.
static napi_value image_to_taps(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  Args args = read_args(env, info, argv, 11);
  Geometry g;
  float *taps, *image;
  if (!read_geometry(&args, &g, &taps, &image)) return NULL;
  memset(taps, 0, sizeof(float) * (size_t)g.batch * g.in_h * g.in_w * g.kernel * g.out_c * g.kernel);
  walk_taps(&g, taps, image, false);
  free_geometry(&g);
  return NULL;
}

enum { TRANSPOSE_BLOCK = 16 };

// imageToTapsTransposed(tapsTransposed, image, ...geometry): im2col in the layout [kw·outC·kh, pixel],
// blocked by 16 pixels so that reads (a pixel's channels) and writes (16 pixels of a row) stay in cache.
static napi_value image_to_taps_transposed(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  Args args = read_args(env, info, argv, 11);
  Geometry g;
  float *taps_t, *image;
  if (!read_geometry(&args, &g, &taps_t, &image)) return NULL;
  const int32_t k = g.kernel, out_c = g.out_c;
  const int64_t pixels = (int64_t)g.batch * g.in_h * g.in_w;
  int64_t starts[TRANSPOSE_BLOCK];
  for (int32_t kw = 0; kw < k; kw++) {
    for (int32_t kh = 0; kh < k; kh++) {
      for (int64_t first = 0; first < pixels; first += TRANSPOSE_BLOCK) {
        const int64_t count = pixels - first < TRANSPOSE_BLOCK ? pixels - first : TRANSPOSE_BLOCK;
        for (int64_t j = 0; j < count; j++) {
          const int64_t pixel = first + j;
          const int32_t iw = (int32_t)(pixel % g.in_w);
          const int32_t ih = (int32_t)((pixel / g.in_w) % g.in_h);
          const int64_t b = pixel / ((int64_t)g.in_w * g.in_h);
          const int32_t oh = g.rows[ih * k + kh], ow = g.columns[iw * k + kw];
          starts[j] = oh < 0 || ow < 0 ? -1 : ((b * g.out_h + oh) * g.out_w + ow) * out_c;
        }
        for (int32_t oc = 0; oc < out_c; oc++) {
          float *row = taps_t + (((int64_t)kw * out_c + oc) * k + kh) * pixels + first;
          for (int64_t j = 0; j < count; j++) row[j] = starts[j] < 0 ? 0.0f : image[starts[j] + oc];
        }
      }
    }
  }
  free_geometry(&g);
  return NULL;
}

// ---------------------------------------------------------------------------------------------
// sumRows(x, out, rows, columns, divisor): out[c] = (Σ_r x[r, c]) / divisor. tfjs-wasm reduces
// over leading axes (batch norm's statistics and gradients: every axis but the channels) by
// transposing first; this walks the rows in memory order instead, summing in float32 row by row.

static napi_value sum_rows(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  Args args = read_args(env, info, argv, 5);
  int32_t rows, columns, divisor;
  float *x, *out;
  if (!arg_int(&args, 2, &rows) || !arg_int(&args, 3, &columns) || !arg_int(&args, 4, &divisor)) return NULL;
  if (rows < 0 || columns < 0 || divisor < 1) {
    napi_throw_range_error(env, NULL, "sumRows: negative size or divisor below 1");
    return NULL;
  }
  if (!arg_floats(&args, 0, (int64_t)rows * columns, &x) || !arg_floats(&args, 1, columns, &out)) return NULL;
  memset(out, 0, sizeof(float) * (size_t)columns);
  for (int64_t r = 0; r < rows; r++) {
    const float *row = x + r * columns;
    for (int32_t c = 0; c < columns; c++) out[c] += row[c];
  }
  if (divisor != 1) {
    for (int32_t c = 0; c < columns; c++) out[c] /= (float)divisor;
  }
  return NULL;
}

// ---------------------------------------------------------------------------------------------
// broadcastBinary(op, a, b, out, outer, inner, aMode, bMode): out = a op b over [outer, inner],
// where each operand is full (mode 0), one row of `inner` repeated (1: a per-channel vector like
// batch norm's γ) or one scalar (2). tfjs-wasm runs these through a generic broadcasting loop at
// several ns per element; the same-shape case stays with wasm (XNNPACK's fast path).

enum { OP_ADD = 0, OP_SUB = 1, OP_MUL = 2 };
enum { MODE_FULL = 0, MODE_ROW = 1, MODE_SCALAR = 2 };

static int64_t operand_length(int32_t mode, int64_t outer, int64_t inner) {
  return mode == MODE_FULL ? outer * inner : mode == MODE_ROW ? inner : 1;
}

static napi_value broadcast_binary(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  Args args = read_args(env, info, argv, 8);
  int32_t op, outer, inner, a_mode, b_mode;
  float *a, *b, *out;
  if (!arg_int(&args, 0, &op) || !arg_int(&args, 4, &outer) || !arg_int(&args, 5, &inner) || !arg_int(&args, 6, &a_mode) ||
      !arg_int(&args, 7, &b_mode))
    return NULL;
  if (op < OP_ADD || op > OP_MUL || a_mode < MODE_FULL || a_mode > MODE_SCALAR || b_mode < MODE_FULL || b_mode > MODE_SCALAR ||
      (a_mode != MODE_FULL && b_mode != MODE_FULL) || outer < 0 || inner < 0) {
    napi_throw_range_error(env, NULL, "broadcastBinary: unknown operation or mode, no full operand, or a negative size");
    return NULL;
  }
  if (!arg_floats(&args, 1, operand_length(a_mode, outer, inner), &a) || !arg_floats(&args, 2, operand_length(b_mode, outer, inner), &b) ||
      !arg_floats(&args, 3, (int64_t)outer * inner, &out))
    return NULL;
  // A scalar operand becomes a row of `inner` copies, so that every loop below has unit strides.
  float *scalar_row = NULL;
  if (a_mode == MODE_SCALAR || b_mode == MODE_SCALAR) {
    scalar_row = malloc(sizeof(float) * (size_t)(inner > 0 ? inner : 1));
    if (!scalar_row) {
      napi_throw_error(env, NULL, "broadcastBinary: out of memory");
      return NULL;
    }
    const float value = a_mode == MODE_SCALAR ? a[0] : b[0];
    for (int32_t c = 0; c < inner; c++) scalar_row[c] = value;
    if (a_mode == MODE_SCALAR) a = scalar_row, a_mode = MODE_ROW;
    else b = scalar_row, b_mode = MODE_ROW;
  }
  for (int64_t r = 0; r < outer; r++) {
    const float *restrict ar = a + (a_mode == MODE_FULL ? r * inner : 0);
    const float *restrict br = b + (b_mode == MODE_FULL ? r * inner : 0);
    float *restrict o = out + r * inner;
    // One loop per operation so that each vectorises.
    if (op == OP_ADD) {
      for (int32_t c = 0; c < inner; c++) o[c] = ar[c] + br[c];
    } else if (op == OP_SUB) {
      for (int32_t c = 0; c < inner; c++) o[c] = ar[c] - br[c];
    } else {
      for (int32_t c = 0; c < inner; c++) o[c] = ar[c] * br[c];
    }
  }
  free(scalar_row);
  return NULL;
}

// ---------------------------------------------------------------------------------------------
// The whole transposed convolution per block of samples (bench/NOTES.md, "Fast CPU path"): the
// taps of a few samples are computed by sgemm into a scratch buffer of a few hundred KB and
// scattered (col2im) at once, while they are still in cache, instead of writing the whole
// batch's taps (39 MB for the 5×5 layer) and reading them back. The backward pass does the same
// with the gather (im2col of dy): per block dx = dTaps·Wᵀ and dW += xᵀ·dTaps. PyTorch's
// slow_conv_transpose2d works the same way, one sample at a time. x is [B·inH·inW, inC], W
// [inC, kw·outC·kh] (the layer's kernel), the image [B, outH, outW, outC].

/** Geometry (argv[first..first+8]), then inC and samples per block; checks sizes. */
static bool read_conv_geometry(Args *args, size_t first, Geometry *g, int32_t *in_c, int32_t *block_samples) {
  if (!arg_int(args, first, in_c) || !arg_int(args, first + 1, block_samples)) return false;
  if (*in_c < 1 || *block_samples < 1) {
    napi_throw_range_error(args->env, NULL, "transposed convolution: inC and the block size must be positive");
    return false;
  }
  return read_geometry_fields(args, first + 2, g);
}

/** Scratch for the taps of one block of samples, or NULL (and a JS error). */
static float *block_scratch(Args *args, const Geometry *g, int32_t block_samples) {
  int64_t samples = block_samples < g->batch ? block_samples : g->batch;
  float *scratch = malloc(sizeof(float) * (size_t)(samples * pixels_per_sample(g) * taps_per_pixel(g)));
  if (!scratch) napi_throw_error(args->env, NULL, "transposed convolution: out of memory");
  return scratch;
}

// convTransposeForward(x, w, bias, image, inC, blockSamples, ...geometry):
// image = col2im(x·W) + bias, block by block.
static napi_value conv_transpose_forward(napi_env env, napi_callback_info info) {
  napi_value argv[15];
  Args args = read_args(env, info, argv, 15);
  Geometry g;
  int32_t in_c, block_samples;
  float *x, *w, *bias, *image;
  if (!read_conv_geometry(&args, 4, &g, &in_c, &block_samples)) return NULL;
  const int64_t pixels = pixels_per_sample(&g), taps = taps_per_pixel(&g), image_size = image_per_sample(&g);
  if (!arg_floats(&args, 0, g.batch * pixels * in_c, &x) || !arg_floats(&args, 1, in_c * taps, &w) ||
      !arg_floats(&args, 2, g.out_c, &bias) || !arg_floats(&args, 3, g.batch * image_size, &image) || !make_landing_tables(&args, &g))
    return NULL;
  float *scratch = block_scratch(&args, &g, block_samples);
  if (!scratch) {
    free_geometry(&g);
    return NULL;
  }
  for (int32_t first = 0; first < g.batch; first += block_samples) {
    Geometry block = g;
    block.batch = g.batch - first < block_samples ? g.batch - first : block_samples;
    const int64_t rows = block.batch * pixels;
    blas.sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_NO_TRANS, (int)rows, (int)taps, in_c, 1.0f, x + first * pixels * in_c, in_c, w,
               (int)taps, 0.0f, scratch, (int)taps);
    float *block_image = image + first * image_size;
    for (int64_t p = 0; p < block.batch * image_size; p += g.out_c) {
      for (int32_t c = 0; c < g.out_c; c++) block_image[p + c] = bias[c];
    }
    walk_taps(&block, scratch, block_image, true);
  }
  free(scratch);
  free_geometry(&g);
  return NULL;
}

// convTransposeBackward(dy, x, w, dx, dw, db, inC, blockSamples, ...geometry): per block,
// dTaps = im2col(dy), dx = dTaps·Wᵀ, dW += xᵀ·dTaps; db = Σ dy over every pixel.
static napi_value conv_transpose_backward(napi_env env, napi_callback_info info) {
  napi_value argv[17];
  Args args = read_args(env, info, argv, 17);
  Geometry g;
  int32_t in_c, block_samples;
  float *dy, *x, *w, *dx, *dw, *db;
  if (!read_conv_geometry(&args, 6, &g, &in_c, &block_samples)) return NULL;
  const int64_t pixels = pixels_per_sample(&g), taps = taps_per_pixel(&g), image_size = image_per_sample(&g);
  if (!arg_floats(&args, 0, g.batch * image_size, &dy) || !arg_floats(&args, 1, g.batch * pixels * in_c, &x) ||
      !arg_floats(&args, 2, in_c * taps, &w) || !arg_floats(&args, 3, g.batch * pixels * in_c, &dx) ||
      !arg_floats(&args, 4, in_c * taps, &dw) || !arg_floats(&args, 5, g.out_c, &db) || !make_landing_tables(&args, &g))
    return NULL;
  float *scratch = block_scratch(&args, &g, block_samples);
  double *bias_sums = calloc((size_t)g.out_c, sizeof(double));
  if (!scratch || !bias_sums) {
    if (scratch && !bias_sums) napi_throw_error(env, NULL, "transposed convolution: out of memory");
    free(scratch);
    free(bias_sums);
    free_geometry(&g);
    return NULL;
  }
  for (int32_t first = 0; first < g.batch; first += block_samples) {
    Geometry block = g;
    block.batch = g.batch - first < block_samples ? g.batch - first : block_samples;
    const int64_t rows = block.batch * pixels;
    memset(scratch, 0, sizeof(float) * (size_t)(rows * taps));
    walk_taps(&block, scratch, dy + first * image_size, false);
    blas.sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, CBLAS_TRANS, (int)rows, in_c, (int)taps, 1.0f, scratch, (int)taps, w, (int)taps, 0.0f,
               dx + first * pixels * in_c, in_c);
    blas.sgemm(CBLAS_ROW_MAJOR, CBLAS_TRANS, CBLAS_NO_TRANS, in_c, (int)taps, (int)rows, 1.0f, x + first * pixels * in_c, in_c, scratch,
               (int)taps, first == 0 ? 0.0f : 1.0f, dw, (int)taps);
  }
  const int64_t out_pixels = g.batch * image_size / g.out_c;
  for (int64_t p = 0; p < out_pixels; p++) {
    const float *row = dy + p * g.out_c;
    for (int32_t c = 0; c < g.out_c; c++) bias_sums[c] += row[c];
  }
  for (int32_t c = 0; c < g.out_c; c++) db[c] = (float)bias_sums[c];
  free(bias_sums);
  free(scratch);
  free_geometry(&g);
  return NULL;
}

// ---------------------------------------------------------------------------------------------
// Batch normalisation in training mode over a row-major [rows, channels] x (every axis but the
// channels), in two passes each way instead of ~8 tfjs ops forward and ~10 backward. Sums are
// accumulated in double, so the one-pass variance E[x²] − E[x]² loses nothing that float32 keeps.

static bool arg_double(Args *args, size_t index, double *out) {
  if (index >= args->argc || napi_get_value_double(args->env, args->argv[index], out) != napi_ok) {
    return arg_type_error(args, index, "a number");
  }
  return true;
}

/** rows, channels (both ≥ 0, channels ≥ 1) and epsilon from argv[first..first+2]. */
static bool read_norm_sizes(Args *args, size_t first, int32_t *rows, int32_t *channels, double *epsilon) {
  if (!arg_int(args, first, rows) || !arg_int(args, first + 1, channels) || !arg_double(args, first + 2, epsilon)) return false;
  if (*rows < 1 || *channels < 1) {
    napi_throw_range_error(args->env, NULL, "batch norm: rows and channels must be positive");
    return false;
  }
  return true;
}

// batchNormForward(x, gamma, beta, y, mean, variance, rows, channels, epsilon):
// mean and (biased) variance per channel, y = (x − mean)·(γ·rstd) + β.
static napi_value batch_norm_forward(napi_env env, napi_callback_info info) {
  napi_value argv[9];
  Args args = read_args(env, info, argv, 9);
  int32_t rows, channels;
  double epsilon;
  float *x, *gamma, *beta, *y, *mean, *variance;
  if (!read_norm_sizes(&args, 6, &rows, &channels, &epsilon)) return NULL;
  const int64_t size = (int64_t)rows * channels;
  if (!arg_floats(&args, 0, size, &x) || !arg_floats(&args, 1, channels, &gamma) || !arg_floats(&args, 2, channels, &beta) ||
      !arg_floats(&args, 3, size, &y) || !arg_floats(&args, 4, channels, &mean) || !arg_floats(&args, 5, channels, &variance))
    return NULL;
  double *sums = calloc((size_t)channels * 2, sizeof(double));
  float *scale = malloc(sizeof(float) * (size_t)channels);
  if (!sums || !scale) {
    free(sums);
    free(scale);
    napi_throw_error(env, NULL, "batch norm: out of memory");
    return NULL;
  }
  double *squares = sums + channels;
  for (int64_t r = 0; r < rows; r++) {
    const float *row = x + r * channels;
    for (int32_t c = 0; c < channels; c++) {
      const double v = row[c];
      sums[c] += v;
      squares[c] += v * v;
    }
  }
  for (int32_t c = 0; c < channels; c++) {
    const double m = sums[c] / rows;
    const double var = squares[c] / rows - m * m;
    mean[c] = (float)m;
    variance[c] = (float)(var > 0 ? var : 0);
    scale[c] = (float)(gamma[c] / sqrt((double)variance[c] + epsilon));
  }
  for (int64_t r = 0; r < rows; r++) {
    const float *restrict row = x + r * channels;
    float *restrict out = y + r * channels;
    for (int32_t c = 0; c < channels; c++) out[c] = (row[c] - mean[c]) * scale[c] + beta[c];
  }
  free(scale);
  free(sums);
  return NULL;
}

// batchNormBackward(dy, x, mean, variance, gamma, dx, dGamma, dBeta, rows, channels, epsilon): the
// closed form dx = γ·rstd/N·(N·dy − Σdy − x̂·Σ(dy·x̂)), dγ = Σ(dy·x̂), dβ = Σdy, x̂ = (x − mean)·rstd.
static napi_value batch_norm_backward(napi_env env, napi_callback_info info) {
  napi_value argv[11];
  Args args = read_args(env, info, argv, 11);
  int32_t rows, channels;
  double epsilon;
  float *dy, *x, *mean, *variance, *gamma, *dx, *d_gamma, *d_beta;
  if (!read_norm_sizes(&args, 8, &rows, &channels, &epsilon)) return NULL;
  const int64_t size = (int64_t)rows * channels;
  if (!arg_floats(&args, 0, size, &dy) || !arg_floats(&args, 1, size, &x) || !arg_floats(&args, 2, channels, &mean) ||
      !arg_floats(&args, 3, channels, &variance) || !arg_floats(&args, 4, channels, &gamma) || !arg_floats(&args, 5, size, &dx) ||
      !arg_floats(&args, 6, channels, &d_gamma) || !arg_floats(&args, 7, channels, &d_beta))
    return NULL;
  double *sums = calloc((size_t)channels * 2, sizeof(double));
  float *coefficients = malloc(sizeof(float) * (size_t)channels * 3);
  if (!sums || !coefficients) {
    free(sums);
    free(coefficients);
    napi_throw_error(env, NULL, "batch norm: out of memory");
    return NULL;
  }
  double *centred_sums = sums + channels;
  for (int64_t r = 0; r < rows; r++) {
    const float *g_row = dy + r * channels, *x_row = x + r * channels;
    for (int32_t c = 0; c < channels; c++) {
      sums[c] += g_row[c];
      centred_sums[c] += (double)g_row[c] * (double)(x_row[c] - mean[c]);
    }
  }
  // dx = (γ·rstd)·(dy − Σdy/N − (x − mean)·rstd²·Σ(dy·(x − mean))/N), per channel three factors.
  float *outer = coefficients, *shift = coefficients + channels, *slope = coefficients + 2 * channels;
  for (int32_t c = 0; c < channels; c++) {
    const double rstd = 1.0 / sqrt((double)variance[c] + epsilon);
    d_beta[c] = (float)sums[c];
    d_gamma[c] = (float)(centred_sums[c] * rstd);
    outer[c] = (float)(gamma[c] * rstd);
    shift[c] = (float)(sums[c] / rows);
    slope[c] = (float)(centred_sums[c] * rstd * rstd / rows);
  }
  for (int64_t r = 0; r < rows; r++) {
    const float *restrict g_row = dy + r * channels, *restrict x_row = x + r * channels;
    float *restrict out = dx + r * channels;
    for (int32_t c = 0; c < channels; c++) out[c] = outer[c] * (g_row[c] - shift[c] - (x_row[c] - mean[c]) * slope[c]);
  }
  free(coefficients);
  free(sums);
  return NULL;
}

// ---------------------------------------------------------------------------------------------
// OpenBLAS settings.

static napi_value set_threads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Args args = read_args(env, info, argv, 1);
  int32_t threads;
  if (!arg_int(&args, 0, &threads)) return NULL;
  if (threads < 1) {
    napi_throw_range_error(env, NULL, "setThreads: need at least one thread");
    return NULL;
  }
  if (blas.set_threads) blas.set_threads(threads);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  napi_create_int32(env, blas.get_threads ? blas.get_threads() : 1, &result);
  return result;
}

static napi_value get_config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  const char *config = blas.get_config ? blas.get_config() : "BLAS (no openblas_get_config)";
  napi_create_string_utf8(env, config, NAPI_AUTO_LENGTH, &result);
  return result;
}

NAPI_MODULE_INIT() {
  const char *error = open_blas();
  if (error) {
    napi_throw_error(env, "ERR_CRYSTAL_GAN_NO_BLAS", error);
    return NULL;
  }
  const napi_property_descriptor functions[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tapsToImage", NULL, taps_to_image, NULL, NULL, NULL, napi_enumerable, NULL},
      {"imageToTaps", NULL, image_to_taps, NULL, NULL, NULL, napi_enumerable, NULL},
      {"imageToTapsTransposed", NULL, image_to_taps_transposed, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sumRows", NULL, sum_rows, NULL, NULL, NULL, napi_enumerable, NULL},
      {"broadcastBinary", NULL, broadcast_binary, NULL, NULL, NULL, napi_enumerable, NULL},
      {"convTransposeForward", NULL, conv_transpose_forward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"convTransposeBackward", NULL, conv_transpose_backward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"batchNormForward", NULL, batch_norm_forward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"batchNormBackward", NULL, batch_norm_backward, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"threads", NULL, get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"blasConfig", NULL, get_config, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}
