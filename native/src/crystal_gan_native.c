// Native CPU kernels for Crystal GAN's training on the tfjs wasm backend (bench/NOTES.md, "Fast
// CPU path"). Every function works in place on Float32Arrays that the caller takes as views of
// the wasm heap, so nothing is copied: the JS side allocates the output tensor first, then passes
// views of inputs and output.
//
// OpenBLAS is opened with dlopen at load time rather than linked: the addon then builds with only
// a C compiler and Node's headers, and where libopenblas.so.0 is missing `require` throws one
// clear message and the caller falls back to the plain wasm kernels.
#include <dlfcn.h>
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

static bool arg_int(Args *args, size_t index, int32_t *out) {
  if (index >= args->argc || napi_get_value_int32(args->env, args->argv[index], out) != napi_ok) {
    char message[64];
    snprintf(message, sizeof message, "argument %zu must be a number", index);
    napi_throw_type_error(args->env, NULL, message);
    return false;
  }
  return true;
}

static bool arg_bool(Args *args, size_t index, bool *out) {
  if (index >= args->argc || napi_get_value_bool(args->env, args->argv[index], out) != napi_ok) {
    char message[64];
    snprintf(message, sizeof message, "argument %zu must be a boolean", index);
    napi_throw_type_error(args->env, NULL, message);
    return false;
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
    char message[64];
    snprintf(message, sizeof message, "argument %zu must be a Float32Array", index);
    napi_throw_type_error(args->env, NULL, message);
    return false;
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

/** Reads the geometry from argv[2..10] and checks both arrays' lengths. */
static bool read_geometry(Args *args, Geometry *g, float **taps, float **image) {
  memset(g, 0, sizeof *g);
  int32_t *fields[] = {&g->batch, &g->in_h, &g->in_w, &g->out_h, &g->out_w, &g->out_c, &g->kernel, &g->stride_h, &g->stride_w};
  for (size_t i = 0; i < 9; i++) {
    if (!arg_int(args, 2 + i, fields[i])) return false;
    if (*fields[i] < 1) {
      napi_throw_range_error(args->env, NULL, "tap geometry: every size must be positive");
      return false;
    }
  }
  int64_t pixels = (int64_t)g->batch * g->in_h * g->in_w;
  int64_t tap_count = pixels * g->kernel * g->out_c * g->kernel;
  int64_t image_count = (int64_t)g->batch * g->out_h * g->out_w * g->out_c;
  if (!arg_floats(args, 0, tap_count, taps) || !arg_floats(args, 1, image_count, image)) return false;
  g->rows = landing_table(g->in_h, g->kernel, g->stride_h, g->out_h);
  g->columns = landing_table(g->in_w, g->kernel, g->stride_w, g->out_w);
  if (!g->rows || !g->columns) {
    free_geometry(g);
    napi_throw_error(args->env, NULL, "tap geometry: out of memory");
    return false;
  }
  return true;
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
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"threads", NULL, get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"blasConfig", NULL, get_config, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions);
  return exports;
}
