// albench's native kernels for the tfjs wasm backend (src/backend/native-kernels.ts): a float32
// matrix product, 2-D convolutions and their gradients built on it, the max-pool gradient, column
// sums (bias gradients), elementwise add/multiply, batch norm and the Adam update, on x86-64 with AVX2 and FMA. They work in place on views of
// the wasm heap that JS hands over (Float32Array), so nothing is copied across the boundary.
//
// Why: tfjs 4.22's wasm binary multiplies with 128-bit SIMD and no FMA (XNNPACK), about 16 GFLOP/s
// here; PyTorch's CPU matmul reaches ~100 GFLOP/s on the same core (bench:backend). tfjs-node,
// the usual way out, cannot install on these machines (DESIGN.md).
//
// GEMM: the BLIS/GotoBLAS layout (Goto & van de Geijn 2008, "Anatomy of High-Performance Matrix
// Multiplication", ACM TOMS 34(3)): B is packed into KC×NR column panels, A into MC×KC row panels
// of MR rows, and a register-blocked micro-kernel computes each tile: 12×32 in 24 zmm accumulators
// where the CPU has AVX-512F, else 6×16 in 12 ymm ones, one FMA per broadcast element of A.
// Transposed operands are handled by the packing.
//
// Determinism: every element C[i][j] is one fused multiply-add chain over k in increasing order
// within each KC block, the blocks added in increasing order. That order depends on K alone, not
// on M, N, the tile an element falls in, or the machine's load, so a row's result does not depend
// on the other rows in the batch, and results are bitwise repeatable on any AVX2+FMA x86-64, with
// or without AVX-512 (the micro-kernel's width changes which elements share a register, not the chain).
//
// Adam: the same per-element formula and double-precision evaluation as adamLoop in
// src/backend/fused-adam.ts, lane-wise in AVX doubles; compiled with -ffp-contract=off so that no
// multiply-add is fused, which keeps it bitwise equal to the JS loop (IEEE-754 +, ×, ÷ and sqrt
// are correctly rounded in both).
#include <immintrin.h>
#include <node_api.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

constexpr int KC = 256;    // the K block: part of the summation order (above), the same for every kernel
constexpr int MC = 96;     // multiple of both kernels' MR; MC×KC floats of A stay in L2
constexpr int NC = 4096;   // multiple of both kernels' NR

// A register-blocked micro-kernel: acc = Σ_p a[p][0..mr) ⊗ b[p][0..nr) over one K block, then
// C = acc (first K block) or C += acc. Every element is the same FMA chain whatever mr × nr is, so
// the AVX2 and AVX-512 kernels give the same bits: the choice is speed only.
using MicroKernel = void (*)(int kc, const float* a, const float* b, float* c, int ldc, bool accumulate, int rows, int cols);

// Edge tiles (rows < mr or cols < nr): the accumulators went to a scratch tile; copy what is in C.
inline void storeEdge(const float* tile, int nr, float* c, int ldc, bool accumulate, int rows, int cols) {
  for (int r = 0; r < rows; ++r) {
    for (int j = 0; j < cols; ++j) {
      // Same rounding as the vector path: one add of the block's sum to C.
      c[r * ldc + j] = accumulate ? c[r * ldc + j] + tile[r * nr + j] : tile[r * nr + j];
    }
  }
}

// AVX2: 6×16, 12 ymm accumulators, one FMA per broadcast element of A. Fully unrolled so that the
// accumulators live in registers.
void microKernelAvx2(int kc, const float* a, const float* b, float* c, int ldc, bool accumulate, int rows, int cols) {
  constexpr int MR = 6, NR = 16;
  __m256 acc[MR][2];
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (int p = 0; p < kc; ++p) {
    const __m256 b0 = _mm256_loadu_ps(b + p * NR);
    const __m256 b1 = _mm256_loadu_ps(b + p * NR + 8);
    const float* ap = a + p * MR;
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      const __m256 ar = _mm256_broadcast_ss(ap + r);
      acc[r][0] = _mm256_fmadd_ps(ar, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(ar, b1, acc[r][1]);
    }
  }
  if (rows == MR && cols == NR) {
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      float* cr = c + r * ldc;
      if (accumulate) {
        _mm256_storeu_ps(cr, _mm256_add_ps(_mm256_loadu_ps(cr), acc[r][0]));
        _mm256_storeu_ps(cr + 8, _mm256_add_ps(_mm256_loadu_ps(cr + 8), acc[r][1]));
      } else {
        _mm256_storeu_ps(cr, acc[r][0]);
        _mm256_storeu_ps(cr + 8, acc[r][1]);
      }
    }
    return;
  }
  alignas(32) float tile[MR * NR];
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) {
    _mm256_store_ps(tile + r * NR, acc[r][0]);
    _mm256_store_ps(tile + r * NR + 8, acc[r][1]);
  }
  storeEdge(tile, NR, c, ldc, accumulate, rows, cols);
}

// AVX-512: 12×32, 24 zmm accumulators (the AVX2 kernel's scheme at twice the width and rows: half
// the loads and broadcasts per FMA). Compiled for AVX-512F alone and called only where the CPU has
// it; PyTorch's CPU GEMM uses these registers too, so without it the same core does half the work.
__attribute__((target("avx512f"))) void microKernelAvx512(int kc, const float* a, const float* b, float* c, int ldc,
                                                          bool accumulate, int rows, int cols) {
  constexpr int MR = 12, NR = 32;
  __m512 acc[MR][2];
#pragma GCC unroll 12
  for (int r = 0; r < MR; ++r) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int p = 0; p < kc; ++p) {
    const __m512 b0 = _mm512_loadu_ps(b + p * NR);
    const __m512 b1 = _mm512_loadu_ps(b + p * NR + 16);
    const float* ap = a + p * MR;
#pragma GCC unroll 12
    for (int r = 0; r < MR; ++r) {
      const __m512 ar = _mm512_set1_ps(ap[r]);
      acc[r][0] = _mm512_fmadd_ps(ar, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(ar, b1, acc[r][1]);
    }
  }
  if (rows == MR && cols == NR) {
#pragma GCC unroll 12
    for (int r = 0; r < MR; ++r) {
      float* cr = c + r * ldc;
      if (accumulate) {
        _mm512_storeu_ps(cr, _mm512_add_ps(_mm512_loadu_ps(cr), acc[r][0]));
        _mm512_storeu_ps(cr + 16, _mm512_add_ps(_mm512_loadu_ps(cr + 16), acc[r][1]));
      } else {
        _mm512_storeu_ps(cr, acc[r][0]);
        _mm512_storeu_ps(cr + 16, acc[r][1]);
      }
    }
    return;
  }
  alignas(64) float tile[MR * NR];
#pragma GCC unroll 12
  for (int r = 0; r < MR; ++r) {
    _mm512_store_ps(tile + r * NR, acc[r][0]);
    _mm512_store_ps(tile + r * NR + 16, acc[r][1]);
  }
  storeEdge(tile, NR, c, ldc, accumulate, rows, cols);
}

// Packs op(A)[i0:i0+mc, p0:p0+kc] as row panels of MR, k-major inside a panel; zero-padded rows.
template <int MR>
void packA(const float* A, bool transA, int M, int K, int i0, int mc, int p0, int kc, float* out) {
  for (int ip = 0; ip < mc; ip += MR) {
    const int rows = std::min(MR, mc - ip);
    if (transA) {
      // op(A)[i][k] = A[k][i]: each k gives MR neighbours in one row of A.
      for (int p = 0; p < kc; ++p, out += MR) {
        const float* col = A + static_cast<int64_t>(p0 + p) * M + i0 + ip;
        for (int r = 0; r < MR; ++r) out[r] = r < rows ? col[r] : 0.f;
      }
      continue;
    }
    const float* src[MR];
    for (int r = 0; r < MR; ++r) src[r] = A + static_cast<int64_t>(i0 + ip + std::min(r, rows - 1)) * K + p0;
    if (rows == MR) {
      for (int p = 0; p < kc; ++p, out += MR) {
#pragma GCC unroll 12
        for (int r = 0; r < MR; ++r) out[r] = src[r][p];
      }
    } else {
      for (int p = 0; p < kc; ++p, out += MR) {
        for (int r = 0; r < MR; ++r) out[r] = r < rows ? src[r][p] : 0.f;
      }
    }
  }
}

// Packs op(B)[p0:p0+kc, j0:j0+nc] as column panels of NR, k-major inside a panel; zero-padded columns.
template <int NR>
void packB(const float* B, bool transB, int K, int N, int p0, int kc, int j0, int nc, float* out) {
  for (int jp = 0; jp < nc; jp += NR) {
    const int cols = std::min(NR, nc - jp);
    for (int p = 0; p < kc; ++p) {
      const int k = p0 + p;
      if (!transB && cols == NR) {
        std::memcpy(out, B + static_cast<int64_t>(k) * N + j0 + jp, NR * sizeof(float));
        out += NR;
        continue;
      }
      for (int j = 0; j < NR; ++j) {
        float v = 0.f;
        if (j < cols) {
          const int col = j0 + jp + j;
          v = transB ? B[static_cast<int64_t>(col) * K + k] : B[static_cast<int64_t>(k) * N + col];
        }
        *out++ = v;
      }
    }
  }
}

// B packed whole, panel after panel in the order the GEMM's loops use them (by NC column block,
// then by K block), for products that reuse one B with many A's: a convolution multiplies its
// filter with every chunk of patches, and packing it per chunk cost a quarter of the patch copies.
struct PackedB {
  std::vector<float> data;
  bool wide = false;  // packed for the AVX-512 kernel's 32-column panels
};

template <int NR>
void packWholeB(const float* B, bool transB, int K, int N, std::vector<float>& out) {
  size_t size = 0;
  for (int j0 = 0; j0 < N; j0 += NC) size += static_cast<size_t>((std::min(NC, N - j0) + NR - 1) / NR * NR) * K;
  out.resize(size);
  float* at = out.data();
  for (int j0 = 0; j0 < N; j0 += NC) {
    const int nc = std::min(NC, N - j0);
    for (int p0 = 0; p0 < K; p0 += KC) {
      const int kc = std::min(KC, K - p0);
      packB<NR>(B, transB, K, N, p0, kc, j0, nc, at);
      at += static_cast<size_t>((nc + NR - 1) / NR * NR) * kc;
    }
  }
}

// The blocked loops of the GEMM below around one micro-kernel of MR × NR; B is packed here block
// by block, or taken from `whole` (packWholeB<NR>).
template <int MR, int NR, MicroKernel micro>
void gemmWith(const float* A, const float* B, float* C, int M, int N, int K, bool transA, bool transB, bool accumulate,
              const std::vector<float>* whole) {
  static_assert(MC % MR == 0 && NC % NR == 0, "panel sizes");
  thread_local std::vector<float> packedA, packedB;
  packedA.resize(static_cast<size_t>(MC + MR) * KC);
  if (whole == nullptr) packedB.resize(static_cast<size_t>(NC + NR) * KC);
  const float* next = whole != nullptr ? whole->data() : nullptr;
  for (int j0 = 0; j0 < N; j0 += NC) {
    const int nc = std::min(NC, N - j0);
    for (int p0 = 0; p0 < K; p0 += KC) {
      const int kc = std::min(KC, K - p0);
      const float* panel = next;
      if (whole != nullptr) {
        next += static_cast<size_t>((nc + NR - 1) / NR * NR) * kc;
      } else {
        packB<NR>(B, transB, K, N, p0, kc, j0, nc, packedB.data());
        panel = packedB.data();
      }
      for (int i0 = 0; i0 < M; i0 += MC) {
        const int mc = std::min(MC, M - i0);
        packA<MR>(A, transA, M, K, i0, mc, p0, kc, packedA.data());
        for (int jp = 0; jp < nc; jp += NR) {
          const float* bp = panel + static_cast<size_t>(jp / NR) * kc * NR;
          for (int ip = 0; ip < mc; ip += MR) {
            const float* ap = packedA.data() + static_cast<size_t>(ip / MR) * kc * MR;
            float* c = C + static_cast<int64_t>(i0 + ip) * N + j0 + jp;
            micro(kc, ap, bp, c, N, accumulate || p0 > 0, std::min(MR, mc - ip), std::min(NR, nc - jp));
          }
        }
      }
    }
  }
}

enum class GemmIsa { Avx2, Avx512 };

bool hasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}

// The widest kernel this CPU runs; `gemmIsa(name)` (the N-API call) narrows it (the tests compare the two bit for bit).
GemmIsa gemmIsa = hasAvx512() ? GemmIsa::Avx512 : GemmIsa::Avx2;

// Narrow outputs (a 10-class layer) would waste most of a 32-wide tile; the bits are the same.
bool wideKernel(int N) { return gemmIsa == GemmIsa::Avx512 && N > 16; }

// B (K × N, transposed when transB) packed once for gemm's `packed` argument.
void packForGemm(const float* B, bool transB, int K, int N, PackedB& out) {
  out.wide = wideKernel(N);
  if (out.wide) {
    packWholeB<32>(B, transB, K, N, out.data);
  } else {
    packWholeB<16>(B, transB, K, N, out.data);
  }
}

// C[M×N] = op(A)[M×K] · op(B)[K×N] (or C += … with accumulate), all row-major; op transposes
// when the flag is set. With K a multiple of KC, C = A₁B₁ then C += A₂B₂ gives the same bits as
// one product over [A₁ A₂]: the K blocks are added to C in the same order either way. `packed`,
// when given, is op(B) already packed by packForGemm (B and transB are then unused).
void gemm(const float* A, const float* B, float* C, int M, int N, int K, bool transA, bool transB,
          bool accumulate = false, const PackedB* packed = nullptr) {
  if (K == 0) {
    if (!accumulate) std::fill(C, C + static_cast<int64_t>(M) * N, 0.f);
    return;
  }
  const bool wide = packed != nullptr ? packed->wide : wideKernel(N);
  const std::vector<float>* whole = packed != nullptr ? &packed->data : nullptr;
  if (wide) {
    gemmWith<12, 32, microKernelAvx512>(A, B, C, M, N, K, transA, transB, accumulate, whole);
  } else {
    gemmWith<6, 16, microKernelAvx2>(A, B, C, M, N, K, transA, transB, accumulate, whole);
  }
}

// ---------------------------------------------------------------------------------------------
// 2-D convolution, NHWC, as im2col + GEMM (Chellapilla, Puri & Simard 2006, "High Performance
// Convolutional Neural Networks for Document Processing"). Output positions are processed in
// chunks so that the patch matrix stays small; chunk sizes are multiples of KC, so the filter
// gradient's sum over positions has the same order whatever the chunking.
// ---------------------------------------------------------------------------------------------

struct ConvGeometry {
  int n, h, w, cin, fh, fw, cout, sh, sw, padTop, padLeft, oh, ow;
  int64_t positions() const { return static_cast<int64_t>(n) * oh * ow; }
  int patchSize() const { return fh * fw * cin; }
};

int chunkPositions(const ConvGeometry& g) {
  // ~256 KB of patches per chunk (L2-sized, so packing reads what im2col just wrote from cache),
  // at least one K block. With 8 MB chunks ResNet-18's 32×32×64 layers ran at 0.4–0.8× the speed
  // (scratch A/B of the three kinds, machine loaded); the bits are the same for any chunk (above).
  const int64_t byBudget = (int64_t{64} << 10) / std::max(1, g.patchSize());
  return static_cast<int>(std::max<int64_t>(KC, byBudget / KC * KC));
}

// Output position p = (b·oh + i)·ow + j, walked in order: one division at the start of a range
// instead of three per position (64-bit divisions were most of a 3×3×1 layer's im2col).
struct Cursor {
  int64_t b;
  int i, j;
  Cursor(const ConvGeometry& g, int64_t p) : b(p / (static_cast<int64_t>(g.oh) * g.ow)), i(static_cast<int>(p / g.ow % g.oh)), j(static_cast<int>(p % g.ow)) {}
  void next(const ConvGeometry& g) {
    if (++j < g.ow) return;
    j = 0;
    if (++i < g.oh) return;
    i = 0;
    ++b;
  }
};

// One row of im2col: patch[(r·fw + c)·cin + ci] = x[b, i·sh − padTop + r, j·sw − padLeft + c, ci] (0 outside).
// A window inside the image is fh runs of fw·cin contiguous floats (NHWC); only border windows
// check each tap. Copies are plain loops: as memcpy calls (GCC's rewrite, switched off here), the
// 3-float runs of a 3×3×1 layer cost more than its multiply-adds.
__attribute__((optimize("no-tree-loop-distribute-patterns"))) inline void gatherPatch(const float* x, const ConvGeometry& g,
                                                                                      const Cursor& at, float* row) {
  const int y0 = at.i * g.sh - g.padTop, x0 = at.j * g.sw - g.padLeft;
  const int run = g.fw * g.cin;
  if (y0 >= 0 && y0 + g.fh <= g.h && x0 >= 0 && x0 + g.fw <= g.w) {
    const float* src = x + ((at.b * g.h + y0) * g.w + x0) * g.cin;
    if (run <= 8) {
      // One masked load and store per filter row (a 3×3×1 patch: three runs of 3 floats).
      static const int32_t ones[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
      const __m256i mask = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(ones + 8 - run));
      for (int r = 0; r < g.fh; ++r, src += static_cast<int64_t>(g.w) * g.cin, row += run) {
        _mm256_maskstore_ps(row, mask, _mm256_maskload_ps(src, mask));
      }
      return;
    }
    for (int r = 0; r < g.fh; ++r, src += static_cast<int64_t>(g.w) * g.cin, row += run) {
      for (int e = 0; e < run; ++e) row[e] = src[e];
    }
    return;
  }
  for (int r = 0; r < g.fh; ++r) {
    const int y = y0 + r;
    for (int c = 0; c < g.fw; ++c, row += g.cin) {
      const int xc = x0 + c;
      if (y < 0 || y >= g.h || xc < 0 || xc >= g.w) {
        for (int ci = 0; ci < g.cin; ++ci) row[ci] = 0.f;
      } else {
        const float* src = x + ((at.b * g.h + y) * g.w + xc) * g.cin;
        for (int ci = 0; ci < g.cin; ++ci) row[ci] = src[ci];
      }
    }
  }
}

// patches[p − p0] = patch of position p, for p0 ≤ p < p1.
void im2col(const float* x, const ConvGeometry& g, int64_t p0, int64_t p1, float* patches) {
  const int K = g.patchSize();
  Cursor at(g, p0);
  for (int64_t p = p0; p < p1; ++p, at.next(g)) gatherPatch(x, g, at, patches + (p - p0) * K);
}

// dx[b, y, x, ci] += dpatches[p − p0][(r·fw + c)·cin + ci], the transpose of im2col.
void col2imAdd(const float* dpatches, const ConvGeometry& g, int64_t p0, int64_t p1, float* dx) {
  const int K = g.patchSize();
  Cursor at(g, p0);
  for (int64_t p = p0; p < p1; ++p, at.next(g)) {
    const float* row = dpatches + (p - p0) * K;
    for (int r = 0; r < g.fh; ++r) {
      const int y = at.i * g.sh - g.padTop + r;
      for (int c = 0; c < g.fw; ++c, row += g.cin) {
        const int xc = at.j * g.sw - g.padLeft + c;
        if (y < 0 || y >= g.h || xc < 0 || xc >= g.w) continue;
        float* d = dx + ((at.b * g.h + y) * g.w + xc) * g.cin;
        for (int ci = 0; ci < g.cin; ++ci) d[ci] += row[ci];
      }
    }
  }
}

// Direct kernels for small patches (the CNNs' first layers: 3×3×1 on grey images, 3×3×3 on
// colour ones). With K = 9 the GEMM's tiles are mostly packing and loop overhead (~10 GFLOP/s for
// the 28×28 layer against ~100 for the next). These compute each element's chain exactly as the
// GEMM does (fused multiply-adds from +0, k ascending; the filter gradient in blocks of KC
// positions, each added to dW in order), padding included as zeros, so the bits are the GEMM's.
constexpr int DIRECT_MAX_K = 32;
constexpr int DIRECT_MAX_COUT = 64;

bool directConv(const ConvGeometry& g) { return g.patchSize() <= DIRECT_MAX_K && g.cout <= DIRECT_MAX_COUT; }

void conv2dForwardDirect(const float* x, const float* w, float* y, const ConvGeometry& g) {
  // Four positions at a time: four independent FMA chains per 8 channels (one chain alone waits
  // on the FMA's latency), each chain still the GEMM's for its own element.
  constexpr int P = 4;
  const int K = g.patchSize(), cout = g.cout;
  float patch[P][DIRECT_MAX_K];
  Cursor at(g, 0);
  for (int64_t p0 = 0; p0 < g.positions(); p0 += P) {
    const int count = static_cast<int>(std::min<int64_t>(P, g.positions() - p0));
    for (int q = 0; q < P; ++q) {
      if (q < count) {
        gatherPatch(x, g, at, patch[q]);
        at.next(g);
      } else {
        std::fill(patch[q], patch[q] + K, 0.f);  // computed, never stored
      }
    }
    int co = 0;
    for (; co + 8 <= cout; co += 8) {
      __m256 acc[P];
      for (int q = 0; q < P; ++q) acc[q] = _mm256_setzero_ps();
      for (int k = 0; k < K; ++k) {
        const __m256 wk = _mm256_loadu_ps(w + k * cout + co);
#pragma GCC unroll 4
        for (int q = 0; q < P; ++q) acc[q] = _mm256_fmadd_ps(_mm256_set1_ps(patch[q][k]), wk, acc[q]);
      }
      for (int q = 0; q < count; ++q) _mm256_storeu_ps(y + (p0 + q) * cout + co, acc[q]);
    }
    for (; co < cout; ++co) {
      for (int q = 0; q < count; ++q) {
        float acc = 0.f;
        for (int k = 0; k < K; ++k) acc = std::fma(patch[q][k], w[k * cout + co], acc);
        y[(p0 + q) * cout + co] = acc;
      }
    }
  }
}

// dW rows kg … kg+G of one block of n positions: G accumulators of 8 channels in registers, one
// chain per element over the block's positions in order, then C = acc (first block) or C += acc.
// Rows past K (the patch rows' zero padding) are computed and dropped.
template <int G>
void filterGradRows(const float* patches, int stride, int kg, const float* dyBlock, int n, int K, int cout, bool first, float* dw) {
  const int rows = std::min(G, K - kg);
  int co = 0;
  for (; co + 8 <= cout; co += 8) {
    __m256 acc[G];
#pragma GCC unroll 9
    for (int r = 0; r < G; ++r) acc[r] = _mm256_setzero_ps();
    for (int p = 0; p < n; ++p) {
      const __m256 d = _mm256_loadu_ps(dyBlock + static_cast<int64_t>(p) * cout + co);
      const float* pr = patches + static_cast<int64_t>(p) * stride + kg;
#pragma GCC unroll 9
      for (int r = 0; r < G; ++r) acc[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(pr + r), d, acc[r]);
    }
    for (int r = 0; r < rows; ++r) {
      float* out = dw + (kg + r) * cout + co;
      _mm256_storeu_ps(out, first ? acc[r] : _mm256_add_ps(_mm256_loadu_ps(out), acc[r]));
    }
  }
  for (; co < cout; ++co) {
    for (int r = 0; r < rows; ++r) {
      float acc = 0.f;
      for (int p = 0; p < n; ++p) acc = std::fma(patches[static_cast<int64_t>(p) * stride + kg + r], dyBlock[static_cast<int64_t>(p) * cout + co], acc);
      float* out = dw + (kg + r) * cout + co;
      *out = first ? acc : *out + acc;
    }
  }
}

void conv2dBackpropFilterDirect(const float* x, const float* dy, float* dw, const ConvGeometry& g) {
  const int K = g.patchSize(), cout = g.cout;
  // 3×3×1 patches take one group of 9 rows; others groups of 8, the patch rows padded to a multiple.
  const int group = K == 9 ? 9 : 8;
  const int stride = (K + group - 1) / group * group;
  thread_local std::vector<float> patches;
  patches.assign(static_cast<size_t>(KC) * stride, 0.f);
  if (g.positions() == 0) std::fill(dw, dw + K * cout, 0.f);
  for (int64_t p0 = 0; p0 < g.positions(); p0 += KC) {
    const int n = static_cast<int>(std::min<int64_t>(KC, g.positions() - p0));
    Cursor at(g, p0);
    for (int p = 0; p < n; ++p, at.next(g)) gatherPatch(x, g, at, patches.data() + static_cast<int64_t>(p) * stride);
    for (int kg = 0; kg < K; kg += group) {
      if (group == 9) filterGradRows<9>(patches.data(), stride, kg, dy + p0 * cout, n, K, cout, p0 == 0, dw);
      else filterGradRows<8>(patches.data(), stride, kg, dy + p0 * cout, n, K, cout, p0 == 0, dw);
    }
  }
}

// y[P × cout] = patches[P × K] · W[K × cout]; W is [fh, fw, cin, cout], i.e. already K × cout.
void conv2dForward(const float* x, const float* w, float* y, const ConvGeometry& g) {
  if (directConv(g)) return conv2dForwardDirect(x, w, y, g);
  const int K = g.patchSize(), chunk = chunkPositions(g);
  thread_local std::vector<float> patches;
  thread_local PackedB filter;
  patches.resize(static_cast<size_t>(chunk) * K);
  packForGemm(w, false, K, g.cout, filter);
  for (int64_t p0 = 0; p0 < g.positions(); p0 += chunk) {
    const int64_t p1 = std::min(g.positions(), p0 + chunk);
    im2col(x, g, p0, p1, patches.data());
    gemm(patches.data(), w, y + p0 * g.cout, static_cast<int>(p1 - p0), g.cout, K, false, false, false, &filter);
  }
}

// dW[K × cout] = Σ_p patches[p]ᵀ dy[p], the sum over positions in increasing order.
void conv2dBackpropFilter(const float* x, const float* dy, float* dw, const ConvGeometry& g) {
  if (directConv(g)) return conv2dBackpropFilterDirect(x, dy, dw, g);
  const int K = g.patchSize(), chunk = chunkPositions(g);
  thread_local std::vector<float> patches;
  patches.resize(static_cast<size_t>(chunk) * K);
  if (g.positions() == 0) std::fill(dw, dw + static_cast<int64_t>(K) * g.cout, 0.f);
  for (int64_t p0 = 0; p0 < g.positions(); p0 += chunk) {
    const int64_t p1 = std::min(g.positions(), p0 + chunk);
    im2col(x, g, p0, p1, patches.data());
    gemm(patches.data(), dy + p0 * g.cout, dw, K, g.cout, static_cast<int>(p1 - p0), true, false, p0 > 0);
  }
}

// dx = col2im(dy · Wᵀ).
void conv2dBackpropInput(const float* dy, const float* w, float* dx, const ConvGeometry& g) {
  const int K = g.patchSize(), chunk = chunkPositions(g);
  thread_local std::vector<float> dpatches;
  thread_local PackedB filterT;
  dpatches.resize(static_cast<size_t>(chunk) * K);
  packForGemm(w, true, g.cout, K, filterT);
  std::fill(dx, dx + static_cast<int64_t>(g.n) * g.h * g.w * g.cin, 0.f);
  for (int64_t p0 = 0; p0 < g.positions(); p0 += chunk) {
    const int64_t p1 = std::min(g.positions(), p0 + chunk);
    gemm(dy + p0 * g.cout, w, dpatches.data(), static_cast<int>(p1 - p0), K, g.cout, false, true, false, &filterT);
    col2imAdd(dpatches.data(), g, p0, p1, dx);
  }
}


// dx of a 2-D max pool (NHWC): each window routes its dy to the first maximum in it (row-major
// scan, strict >), the rule of tfjs's cpu kernel (tfjs-backend-cpu/src/utils/pool_utils.ts,
// maxPoolPositions) and of maxPoolGradWasm in src/backend/wasm-kernels.ts, whose loop order this
// keeps. A window of NaNs or of padding only routes nothing.
struct PoolGeometry {
  int n, h, w, c, oh, ow, fh, fw, sh, sw, padTop, padLeft;
};

// Windows that tile the image without overlap or padding (a pool of stride = size, 'valid': the
// zoo's 2×2 pools) write each dx element once: 0 + dy at the window's first maximum, 0 elsewhere,
// instead of filling dx with zeros and adding into it (half the memory traffic). 0 + dy is what the
// general path stores there too (−0 becomes +0), so the bits are the same.
bool tilingPool(const PoolGeometry& g) {
  return g.sh == g.fh && g.sw == g.fw && g.padTop == 0 && g.padLeft == 0 && g.oh * g.sh <= g.h && g.ow * g.sw <= g.w && g.c % 8 == 0;
}

void maxPoolGradTiling(const float* x, const float* dy, float* dx, const PoolGeometry& g) {
  const __m256 zero = _mm256_setzero_ps();
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const int64_t image = static_cast<int64_t>(g.h) * g.w * g.c;
  for (int b = 0; b < g.n; ++b) {
    const float* xImage = x + b * image;
    float* dxImage = dx + b * image;
    // Rows and columns no window covers (odd sizes) get nothing.
    for (int r = g.oh * g.sh; r < g.h; ++r) std::fill(dxImage + static_cast<int64_t>(r) * g.w * g.c, dxImage + static_cast<int64_t>(r + 1) * g.w * g.c, 0.f);
    for (int r = 0; r < g.oh * g.sh; ++r) {
      std::fill(dxImage + (static_cast<int64_t>(r) * g.w + g.ow * g.sw) * g.c, dxImage + static_cast<int64_t>(r + 1) * g.w * g.c, 0.f);
    }
    for (int i = 0; i < g.oh; ++i) {
      for (int j = 0; j < g.ow; ++j) {
        const float* gRow = dy + ((static_cast<int64_t>(b) * g.oh + i) * g.ow + j) * g.c;
        for (int ch = 0; ch < g.c; ch += 8) {
          __m256 best = _mm256_set1_ps(-INFINITY);
          __m256i at = _mm256_set1_epi32(-1);
          for (int r = i * g.sh; r < i * g.sh + g.fh; ++r) {
            for (int col = j * g.sw; col < j * g.sw + g.fw; ++col) {
              const int offset = (r * g.w + col) * g.c + ch;
              const __m256 v = _mm256_loadu_ps(xImage + offset);
              const __m256 greater = _mm256_cmp_ps(v, best, _CMP_GT_OQ);
              best = _mm256_blendv_ps(best, v, greater);
              at = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(at), _mm256_castsi256_ps(_mm256_add_epi32(_mm256_set1_epi32(offset), lane)), greater));
            }
          }
          const __m256 routed = _mm256_add_ps(zero, _mm256_loadu_ps(gRow + ch));
          for (int r = i * g.sh; r < i * g.sh + g.fh; ++r) {
            for (int col = j * g.sw; col < j * g.sw + g.fw; ++col) {
              const int offset = (r * g.w + col) * g.c + ch;
              const __m256 mine = _mm256_castsi256_ps(_mm256_cmpeq_epi32(at, _mm256_add_epi32(_mm256_set1_epi32(offset), lane)));
              _mm256_storeu_ps(dxImage + offset, _mm256_blendv_ps(zero, routed, mine));
            }
          }
        }
      }
    }
  }
}

void maxPoolGrad(const float* x, const float* dy, float* dx, const PoolGeometry& g) {
  if (tilingPool(g)) return maxPoolGradTiling(x, dy, dx, g);
  std::fill(dx, dx + static_cast<int64_t>(g.n) * g.h * g.w * g.c, 0.f);
  for (int b = 0; b < g.n; ++b) {
    const int64_t xb = static_cast<int64_t>(b) * g.h * g.w * g.c;
    const float* xImage = x + xb;
    float* dxImage = dx + xb;
    for (int i = 0; i < g.oh; ++i) {
      const int r0 = std::max(0, i * g.sh - g.padTop), r1 = std::min(g.h, i * g.sh - g.padTop + g.fh);
      for (int j = 0; j < g.ow; ++j) {
        const int c0 = std::max(0, j * g.sw - g.padLeft), c1 = std::min(g.w, j * g.sw - g.padLeft + g.fw);
        const float* gRow = dy + ((static_cast<int64_t>(b) * g.oh + i) * g.ow + j) * g.c;
        int ch = 0;
        // Eight channels at a time: the same scan and strict > per lane (an ordered compare, false
        // for NaN like the scalar one), branch-free, so the routing and the order of the adds into
        // dx are the scalar loop's. Offsets are within one image (fits in 32 bits: h·w·c < 2³¹).
        for (; ch + 8 <= g.c; ch += 8) {
          __m256 best = _mm256_set1_ps(-INFINITY);
          __m256i at = _mm256_set1_epi32(-1);
          for (int r = r0; r < r1; ++r) {
            for (int col = c0; col < c1; ++col) {
              const int offset = (r * g.w + col) * g.c + ch;
              const __m256 v = _mm256_loadu_ps(xImage + offset);
              const __m256 greater = _mm256_cmp_ps(v, best, _CMP_GT_OQ);
              best = _mm256_blendv_ps(best, v, greater);
              const __m256i lanes = _mm256_add_epi32(_mm256_set1_epi32(offset), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
              at = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(at), _mm256_castsi256_ps(lanes), greater));
            }
          }
          alignas(32) int32_t where[8];
          _mm256_store_si256(reinterpret_cast<__m256i*>(where), at);
          for (int lane = 0; lane < 8; ++lane) {
            if (where[lane] >= 0) dxImage[where[lane]] += gRow[ch + lane];
          }
        }
        for (; ch < g.c; ++ch) {
          float best = -INFINITY;
          int64_t at = -1;
          for (int r = r0; r < r1; ++r) {
            for (int col = c0; col < c1; ++col) {
              const int64_t k = (static_cast<int64_t>(r) * g.w + col) * g.c + ch;
              if (xImage[k] > best) {
                best = xImage[k];
                at = k;
              }
            }
          }
          if (at >= 0) dxImage[at] += gRow[ch];
        }
      }
    }
  }
}


// out[j] = Σ_i x[i][j] over rows in increasing order, accumulated in double: the bias gradient of
// a dense or NHWC conv layer (tfjs's Sum over every axis but the last). The wasm kernel transposes
// the reduced axes to the end first, a full copy of the activations.
void columnSums(const float* x, float* out, int64_t rows, int cols) {
  thread_local std::vector<double> acc;
  acc.assign(cols, 0.0);
  for (int64_t i = 0; i < rows; ++i) {
    const float* row = x + i * cols;
    for (int j = 0; j < cols; ++j) acc[j] += row[j];
  }
  for (int j = 0; j < cols; ++j) out[j] = static_cast<float>(acc[j]);
}

// The backward pass of relu(· + bias) in one pass over [rows, cols]: dyAct = dy · step(y) with
// y the relu's output (step: 1 above 0, NaN for NaN, else 0), and the bias gradient
// Σ_rows dyAct as columnSums computes it. The same IEEE product per element as tfjs's Step and
// Multiply kernels, and the same double sums in the same order as columnSums: the bits of the
// three kernels it replaces (src/models/fused-layers.ts).
void reluGradBias(const float* dy, const float* y, float* dyAct, float* biasGrad, int64_t rows, int cols) {
  thread_local std::vector<double> acc;
  acc.assign(static_cast<size_t>(cols) + 8, 0.0);
  double* sums = acc.data();
  const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.f);
  for (int64_t i = 0; i < rows; ++i) {
    const float* d = dy + i * cols;
    const float* yr = y + i * cols;
    float* out = dyAct + i * cols;
    int j = 0;
    for (; j + 8 <= cols; j += 8) {
      const __m256 yv = _mm256_loadu_ps(yr + j);
      // 1 where y > 0, y itself where it is NaN (unordered), else 0.
      __m256 step = _mm256_blendv_ps(zero, one, _mm256_cmp_ps(yv, zero, _CMP_GT_OQ));
      step = _mm256_blendv_ps(step, yv, _mm256_cmp_ps(yv, yv, _CMP_UNORD_Q));
      const __m256 g = _mm256_mul_ps(_mm256_loadu_ps(d + j), step);
      _mm256_storeu_ps(out + j, g);
      _mm256_storeu_pd(sums + j, _mm256_add_pd(_mm256_loadu_pd(sums + j), _mm256_cvtps_pd(_mm256_castps256_ps128(g))));
      _mm256_storeu_pd(sums + j + 4, _mm256_add_pd(_mm256_loadu_pd(sums + j + 4), _mm256_cvtps_pd(_mm256_extractf128_ps(g, 1))));
    }
    for (; j < cols; ++j) {
      const float step = yr[j] > 0.f ? 1.f : (yr[j] != yr[j] ? yr[j] : 0.f);
      out[j] = d[j] * step;
      sums[j] += out[j];
    }
  }
  for (int j = 0; j < cols; ++j) biasGrad[j] = static_cast<float>(sums[j]);
}

// Batch norm in training mode over x viewed as [rows, C] (NHWC: rows = N·H·W), statistics per
// channel accumulated in double: the forward pass is three passes (sum, centred sum of squares,
// y = (x − μ)·γσ⁻¹ + β), the backward two, where tfjs's ops materialise [C] tensors tiled to
// x's shape and reduce each term on its own. Variance is the biased one (tf.moments').
void batchNormForward(const float* x, const float* gamma, const float* beta, float* y, float* mean, float* variance,
                      float* invstd, int64_t rows, int C, double eps) {
  thread_local std::vector<double> acc;
  thread_local std::vector<float> mu, scale;
  acc.assign(C, 0.0);
  mu.resize(C);
  scale.resize(C);
  for (int64_t i = 0; i < rows; ++i) {
    const float* row = x + i * C;
    for (int j = 0; j < C; ++j) acc[j] += row[j];
  }
  const double n = rows > 0 ? static_cast<double>(rows) : 1.0;
  for (int j = 0; j < C; ++j) {
    mean[j] = static_cast<float>(acc[j] / n);
    mu[j] = mean[j];
    acc[j] = 0.0;
  }
  for (int64_t i = 0; i < rows; ++i) {
    const float* row = x + i * C;
    for (int j = 0; j < C; ++j) {
      const double d = static_cast<double>(row[j]) - mu[j];
      acc[j] += d * d;
    }
  }
  for (int j = 0; j < C; ++j) {
    const double var = acc[j] / n;
    const double is = 1.0 / std::sqrt(var + eps);
    variance[j] = static_cast<float>(var);
    invstd[j] = static_cast<float>(is);
    scale[j] = static_cast<float>(static_cast<double>(gamma[j]) * is);
  }
  for (int64_t i = 0; i < rows; ++i) {
    const float* row = x + i * C;
    float* out = y + i * C;
    for (int j = 0; j < C; ++j) out[j] = (row[j] - mu[j]) * scale[j] + beta[j];
  }
}

// The gradient of batchNormForward's y (μ and σ depend on x too):
//   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γσ⁻¹·(dy − dβ/rows − x̂·dγ/rows),  x̂ = (x − μ)σ⁻¹,
// evaluated per element as dx = k1·dy + k2·(x − μ) + k0 with per-channel k's from double sums.
void batchNormBackward(const float* x, const float* dy, const float* mean, const float* invstd, const float* gamma,
                       float* dx, float* dgamma, float* dbeta, int64_t rows, int C) {
  thread_local std::vector<double> sdy, sdyx;
  thread_local std::vector<float> k0, k1, k2;
  sdy.assign(C, 0.0);
  sdyx.assign(C, 0.0);
  k0.resize(C);
  k1.resize(C);
  k2.resize(C);
  for (int64_t i = 0; i < rows; ++i) {
    const float* xr = x + i * C;
    const float* gr = dy + i * C;
    for (int j = 0; j < C; ++j) {
      sdy[j] += gr[j];
      sdyx[j] += static_cast<double>(gr[j]) * (static_cast<double>(xr[j]) - mean[j]);
    }
  }
  const double n = rows > 0 ? static_cast<double>(rows) : 1.0;
  for (int j = 0; j < C; ++j) {
    const double is = invstd[j], g = gamma[j];
    const double dg = sdyx[j] * is;
    dbeta[j] = static_cast<float>(sdy[j]);
    dgamma[j] = static_cast<float>(dg);
    k1[j] = static_cast<float>(g * is);
    k0[j] = static_cast<float>(-g * is * sdy[j] / n);
    k2[j] = static_cast<float>(-g * is * is * dg / n);
  }
  for (int64_t i = 0; i < rows; ++i) {
    const float* xr = x + i * C;
    const float* gr = dy + i * C;
    float* out = dx + i * C;
    for (int j = 0; j < C; ++j) out[j] = k1[j] * gr[j] + k2[j] * (xr[j] - mean[j]) + k0[j];
  }
}

// out = a + b or a · b elementwise over [rows, cols]; b either has the same shape or is one row
// broadcast down the rows (a bias). One IEEE float operation per element, so the bits are the
// wasm kernels' (tfjs's Add and Multiply), whose broadcasting path computes indices per element.
void binaryOp(int op, const float* a, const float* b, float* out, int64_t rows, int cols, bool rowB) {
  const int64_t size = rows * cols;
  if (!rowB) {
    if (op == 0) for (int64_t i = 0; i < size; ++i) out[i] = a[i] + b[i];
    else for (int64_t i = 0; i < size; ++i) out[i] = a[i] * b[i];
    return;
  }
  for (int64_t r = 0; r < rows; ++r) {
    const float* ar = a + r * cols;
    float* o = out + r * cols;
    if (op == 0) for (int j = 0; j < cols; ++j) o[j] = ar[j] + b[j];
    else for (int j = 0; j < cols; ++j) o[j] = ar[j] * b[j];
  }
}

// Adam over n elements (the header's formula). x / 1.0 is x exactly, so once 1 − β1ᵗ rounds to 1
// (t > ~350 for β1 = 0.9) the division by it is skipped: same bits, one of the loop's four
// divider operations fewer (−20 % per step). The loop is bound by the divider, so AVX-512's wider
// lanes do not help (measured: 8 % slower than these 4-wide ones).
template <bool divide1>
void adamAvx2(float* p, const float* g, float* m, float* v, float* out, size_t n, double lr, double b1, double b2, double eps,
              double c1, double c2, size_t& i) {
  const double k1 = 1 - b1, k2 = 1 - b2;
  const __m256d vb1 = _mm256_set1_pd(b1), vb2 = _mm256_set1_pd(b2), vk1 = _mm256_set1_pd(k1),
                vk2 = _mm256_set1_pd(k2), vlr = _mm256_set1_pd(lr), vc1 = _mm256_set1_pd(c1),
                vc2 = _mm256_set1_pd(c2), veps = _mm256_set1_pd(eps);
  for (; i + 4 <= n; i += 4) {
    const __m256d gi = _mm256_cvtps_pd(_mm_loadu_ps(g + i));
    // Same association as the JS loop: (b1·m + k1·g), (b2·v + (k2·g)·g).
    const __m256d mi = _mm256_add_pd(_mm256_mul_pd(vb1, _mm256_cvtps_pd(_mm_loadu_ps(m + i))), _mm256_mul_pd(vk1, gi));
    const __m256d vi = _mm256_add_pd(_mm256_mul_pd(vb2, _mm256_cvtps_pd(_mm_loadu_ps(v + i))),
                                     _mm256_mul_pd(_mm256_mul_pd(vk2, gi), gi));
    _mm_storeu_ps(m + i, _mm256_cvtpd_ps(mi));
    _mm_storeu_ps(v + i, _mm256_cvtpd_ps(vi));
    const __m256d mhat = divide1 ? _mm256_div_pd(mi, vc1) : mi;
    const __m256d step = _mm256_div_pd(_mm256_mul_pd(vlr, mhat), _mm256_add_pd(_mm256_sqrt_pd(_mm256_div_pd(vi, vc2)), veps));
    _mm_storeu_ps(out + i, _mm256_cvtpd_ps(_mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(p + i)), step)));
  }
}

void adamUpdate(float* p, const float* g, float* m, float* v, float* out, size_t n, double lr, double b1, double b2, double eps,
                double c1, double c2) {
  size_t i = 0;
  const bool divide1 = c1 != 1.0;
  if (divide1) adamAvx2<true>(p, g, m, v, out, n, lr, b1, b2, eps, c1, c2, i);
  else adamAvx2<false>(p, g, m, v, out, n, lr, b1, b2, eps, c1, c2, i);
  const double k1 = 1 - b1, k2 = 1 - b2;
  for (; i < n; ++i) {
    const double gi = g[i];
    const double mi = b1 * m[i] + k1 * gi;
    const double vi = b2 * v[i] + k2 * gi * gi;
    m[i] = static_cast<float>(mi);
    v[i] = static_cast<float>(vi);
    out[i] = static_cast<float>(p[i] - (lr * (mi / c1)) / (std::sqrt(vi / c2) + eps));
  }
}

// ---------------------------------------------------------------------------------------------
// N-API glue
// ---------------------------------------------------------------------------------------------

bool cpuSupported() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

napi_value throwError(napi_env env, const char* message) {
  napi_throw_error(env, nullptr, message);
  return nullptr;
}

bool float32Array(napi_env env, napi_value value, float** data, size_t* length) {
  bool isTyped = false;
  if (napi_is_typedarray(env, value, &isTyped) != napi_ok || !isTyped) return false;
  napi_typedarray_type type;
  void* raw = nullptr;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, nullptr, nullptr) != napi_ok) return false;
  if (type != napi_float32_array) return false;
  *data = static_cast<float*>(raw);
  return true;
}

bool int32Array(napi_env env, napi_value value, const int32_t** data, size_t* length) {
  bool isTyped = false;
  if (napi_is_typedarray(env, value, &isTyped) != napi_ok || !isTyped) return false;
  napi_typedarray_type type;
  void* raw = nullptr;
  if (napi_get_typedarray_info(env, value, &type, length, &raw, nullptr, nullptr) != napi_ok) return false;
  if (type != napi_int32_array) return false;
  *data = static_cast<const int32_t*>(raw);
  return true;
}

bool int32Arg(napi_env env, napi_value value, int32_t* out) {
  return napi_get_value_int32(env, value, out) == napi_ok;
}

bool boolArg(napi_env env, napi_value value, bool* out) {
  return napi_get_value_bool(env, value, out) == napi_ok;
}

bool doubleArg(napi_env env, napi_value value, double* out) {
  return napi_get_value_double(env, value, out) == napi_ok;
}

// matMul(a, b, c, batch, m, n, k, transposeA, transposeB, strideA, strideB):
// for each batch index t, C_t = op(A_t)·op(B_t) with A_t = a + t·strideA (0 broadcasts), C_t = c + t·m·n.
napi_value MatMul(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 11) return throwError(env, "matMul: expected 11 arguments");
  float *a, *b, *c;
  size_t la, lb, lc;
  int32_t batch, m, n, k, strideA, strideB;
  bool tA, tB;
  if (!float32Array(env, argv[0], &a, &la) || !float32Array(env, argv[1], &b, &lb) ||
      !float32Array(env, argv[2], &c, &lc)) {
    return throwError(env, "matMul: a, b and c must be Float32Arrays");
  }
  if (!int32Arg(env, argv[3], &batch) || !int32Arg(env, argv[4], &m) || !int32Arg(env, argv[5], &n) ||
      !int32Arg(env, argv[6], &k) || !boolArg(env, argv[7], &tA) || !boolArg(env, argv[8], &tB) ||
      !int32Arg(env, argv[9], &strideA) || !int32Arg(env, argv[10], &strideB)) {
    return throwError(env, "matMul: bad size or flag arguments");
  }
  if (batch < 0 || m < 0 || n < 0 || k < 0 || strideA < 0 || strideB < 0) return throwError(env, "matMul: negative size");
  const int64_t mk = static_cast<int64_t>(m) * k, kn = static_cast<int64_t>(k) * n, mn = static_cast<int64_t>(m) * n;
  if (batch > 0 && (static_cast<int64_t>(la) < static_cast<int64_t>(batch - 1) * strideA + mk ||
                    static_cast<int64_t>(lb) < static_cast<int64_t>(batch - 1) * strideB + kn ||
                    static_cast<int64_t>(lc) < batch * mn)) {
    return throwError(env, "matMul: an array is shorter than its shape");
  }
  for (int32_t t = 0; t < batch; ++t) {
    gemm(a + static_cast<int64_t>(t) * strideA, b + static_cast<int64_t>(t) * strideB, c + t * mn, m, n, k, tA, tB);
  }
  return nullptr;
}

// biasActivation(c, bias | null, m, n, relu): c[i][j] = act(c[i][j] + bias[j]) in place.
napi_value BiasActivation(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 5) return throwError(env, "biasActivation: expected 5 arguments");
  float *c, *bias = nullptr;
  size_t lc, lbias = 0;
  int32_t m, n;
  bool relu;
  napi_valuetype biasType;
  napi_typeof(env, argv[1], &biasType);
  if (!float32Array(env, argv[0], &c, &lc) || (biasType != napi_null && !float32Array(env, argv[1], &bias, &lbias)) ||
      !int32Arg(env, argv[2], &m) || !int32Arg(env, argv[3], &n) || !boolArg(env, argv[4], &relu)) {
    return throwError(env, "biasActivation: bad arguments");
  }
  if (m < 0 || n < 0 || lc < static_cast<size_t>(m) * n || (bias != nullptr && lbias != static_cast<size_t>(n))) {
    return throwError(env, "biasActivation: an array does not match its shape");
  }
  for (int32_t i = 0; i < m; ++i) {
    float* row = c + static_cast<int64_t>(i) * n;
    for (int32_t j = 0; j < n; ++j) {
      float v = bias != nullptr ? row[j] + bias[j] : row[j];
      row[j] = relu && v <= 0.f ? 0.f : v;  // −0 → +0 and NaN passes through, as in wasm's and cpu's Relu
    }
  }
  return nullptr;
}

// adam(param, grad, m, v, out, lr, beta1, beta2, epsilon, correction1, correction2); see the header.
napi_value Adam(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 11) return throwError(env, "adam: expected 11 arguments");
  float *p, *g, *m, *v, *out;
  size_t lp, lg, lm, lv, lo;
  double lr, b1, b2, eps, c1, c2;
  if (!float32Array(env, argv[0], &p, &lp) || !float32Array(env, argv[1], &g, &lg) ||
      !float32Array(env, argv[2], &m, &lm) || !float32Array(env, argv[3], &v, &lv) ||
      !float32Array(env, argv[4], &out, &lo)) {
    return throwError(env, "adam: param, grad, m, v and out must be Float32Arrays");
  }
  if (!doubleArg(env, argv[5], &lr) || !doubleArg(env, argv[6], &b1) || !doubleArg(env, argv[7], &b2) ||
      !doubleArg(env, argv[8], &eps) || !doubleArg(env, argv[9], &c1) || !doubleArg(env, argv[10], &c2)) {
    return throwError(env, "adam: hyper-parameters must be numbers");
  }
  if (lg != lp || lm != lp || lv != lp || lo != lp) return throwError(env, "adam: arrays differ in length");
  adamUpdate(p, g, m, v, out, lp, lr, b1, b2, eps, c1, c2);
  return nullptr;
}


// conv2d(kind, a, b, out, geometry): geometry is an Int32Array of the 13 ConvGeometry fields.
// kind 0: out = conv(a = x, b = W); 1: out = dW from (a = x, b = dy); 2: out = dx from (a = dy, b = W).
napi_value Conv2D(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 5) return throwError(env, "conv2d: expected 5 arguments");
  int32_t kind;
  float *a, *b, *out;
  size_t la, lb, lo;
  if (!int32Arg(env, argv[0], &kind) || !float32Array(env, argv[1], &a, &la) || !float32Array(env, argv[2], &b, &lb) ||
      !float32Array(env, argv[3], &out, &lo)) {
    return throwError(env, "conv2d: expected (kind, Float32Array, Float32Array, Float32Array, Int32Array)");
  }
  const int32_t* v = nullptr;
  size_t lg = 0;
  if (!int32Array(env, argv[4], &v, &lg) || lg != 13) return throwError(env, "conv2d: geometry must be an Int32Array of 13 sizes");
  const ConvGeometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]};
  if (std::any_of(v, v + 13, [](int32_t x) { return x < 0; }) || g.sh < 1 || g.sw < 1) {
    return throwError(env, "conv2d: sizes must be >= 0 and strides >= 1");
  }
  const size_t xSize = static_cast<size_t>(g.n) * g.h * g.w * g.cin;
  const size_t wSize = static_cast<size_t>(g.patchSize()) * g.cout;
  const size_t ySize = static_cast<size_t>(g.positions()) * g.cout;
  const size_t expected[3][3] = {{xSize, wSize, ySize}, {xSize, ySize, wSize}, {ySize, wSize, xSize}};
  if (kind < 0 || kind > 2) return throwError(env, "conv2d: kind must be 0, 1 or 2");
  if (la != expected[kind][0] || lb != expected[kind][1] || lo != expected[kind][2]) {
    return throwError(env, "conv2d: an array does not match the geometry");
  }
  if (kind == 0) conv2dForward(a, b, out, g);
  if (kind == 1) conv2dBackpropFilter(a, b, out, g);
  if (kind == 2) conv2dBackpropInput(a, b, out, g);
  return nullptr;
}


// maxPoolGrad(x, dy, dx, geometry): geometry is an Int32Array of the 12 PoolGeometry fields.
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  float *x, *dy, *dx;
  size_t lx, ldy, ldx;
  const int32_t* v = nullptr;
  size_t lg = 0;
  if (argc != 4 || !float32Array(env, argv[0], &x, &lx) || !float32Array(env, argv[1], &dy, &ldy) ||
      !float32Array(env, argv[2], &dx, &ldx) || !int32Array(env, argv[3], &v, &lg) || lg != 12) {
    return throwError(env, "maxPoolGrad: expected (Float32Array x, dy, dx, Int32Array geometry of 12)");
  }
  const PoolGeometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
  if (std::any_of(v, v + 12, [](int32_t s) { return s < 0; })) return throwError(env, "maxPoolGrad: negative size");
  const size_t xSize = static_cast<size_t>(g.n) * g.h * g.w * g.c, ySize = static_cast<size_t>(g.n) * g.oh * g.ow * g.c;
  if (lx != xSize || ldx != xSize || ldy != ySize) return throwError(env, "maxPoolGrad: an array does not match the geometry");
  maxPoolGrad(x, dy, dx, g);
  return nullptr;
}


// columnSums(x, out, rows, cols)
napi_value ColumnSums(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  float *x, *out;
  size_t lx, lo;
  double rows;
  int32_t cols;
  if (argc != 4 || !float32Array(env, argv[0], &x, &lx) || !float32Array(env, argv[1], &out, &lo) ||
      !doubleArg(env, argv[2], &rows) || !int32Arg(env, argv[3], &cols) || rows < 0 || cols < 0 ||
      lo != static_cast<size_t>(cols) || lx != static_cast<size_t>(rows) * cols) {
    return throwError(env, "columnSums: expected (Float32Array x of rows·cols, Float32Array out of cols, rows, cols)");
  }
  columnSums(x, out, static_cast<int64_t>(rows), cols);
  return nullptr;
}

// reluGradBias(dy, y, dyAct, biasGrad, rows, cols)
napi_value ReluGradBias(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  float *dy, *y, *dyAct, *biasGrad;
  size_t ld, ly, la, lb;
  double rows;
  int32_t cols;
  if (argc != 6 || !float32Array(env, argv[0], &dy, &ld) || !float32Array(env, argv[1], &y, &ly) || !float32Array(env, argv[2], &dyAct, &la) ||
      !float32Array(env, argv[3], &biasGrad, &lb) || !doubleArg(env, argv[4], &rows) || !int32Arg(env, argv[5], &cols) || rows < 0 || cols < 0 ||
      lb != static_cast<size_t>(cols) || ld != static_cast<size_t>(rows) * cols || ly != ld || la != ld) {
    return throwError(env, "reluGradBias: expected (Float32Array dy, y, dyAct of rows·cols, Float32Array biasGrad of cols, rows, cols)");
  }
  reluGradBias(dy, y, dyAct, biasGrad, static_cast<int64_t>(rows), cols);
  return nullptr;
}

// batchNormForward(x, gamma, beta, y, mean, variance, invstd, rows, C, eps)
napi_value BatchNormForward(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  float* a[7];
  size_t l[7];
  double rows, eps;
  int32_t C;
  bool ok = argc == 10;
  for (int i = 0; ok && i < 7; ++i) ok = float32Array(env, argv[i], &a[i], &l[i]);
  ok = ok && doubleArg(env, argv[7], &rows) && int32Arg(env, argv[8], &C) && doubleArg(env, argv[9], &eps) && rows >= 0 && C >= 0;
  const size_t size = ok ? static_cast<size_t>(rows) * C : 0, c = static_cast<size_t>(C);
  if (!ok || l[0] != size || l[3] != size || l[1] != c || l[2] != c || l[4] != c || l[5] != c || l[6] != c) {
    return throwError(env, "batchNormForward: expected (Float32Array x, gamma, beta, y, mean, variance, invstd, rows, C, eps) with x, y of rows·C and the rest of C");
  }
  batchNormForward(a[0], a[1], a[2], a[3], a[4], a[5], a[6], static_cast<int64_t>(rows), C, eps);
  return nullptr;
}

// batchNormBackward(x, dy, mean, invstd, gamma, dx, dgamma, dbeta, rows, C)
napi_value BatchNormBackward(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  float* a[8];
  size_t l[8];
  double rows;
  int32_t C;
  bool ok = argc == 10;
  for (int i = 0; ok && i < 8; ++i) ok = float32Array(env, argv[i], &a[i], &l[i]);
  ok = ok && doubleArg(env, argv[8], &rows) && int32Arg(env, argv[9], &C) && rows >= 0 && C >= 0;
  const size_t size = ok ? static_cast<size_t>(rows) * C : 0, c = static_cast<size_t>(C);
  if (!ok || l[0] != size || l[1] != size || l[5] != size || l[2] != c || l[3] != c || l[4] != c || l[6] != c || l[7] != c) {
    return throwError(env, "batchNormBackward: expected (Float32Array x, dy, mean, invstd, gamma, dx, dgamma, dbeta, rows, C) with x, dy, dx of rows·C and the rest of C");
  }
  batchNormBackward(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], static_cast<int64_t>(rows), C);
  return nullptr;
}

// binary(op, a, b, out, rows, cols, rowB): op 0 add, 1 multiply.
napi_value Binary(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  int32_t op, cols;
  double rows;
  bool rowB;
  float *a, *b, *out;
  size_t la, lb, lo;
  const bool ok = argc == 7 && int32Arg(env, argv[0], &op) && float32Array(env, argv[1], &a, &la) && float32Array(env, argv[2], &b, &lb) &&
                  float32Array(env, argv[3], &out, &lo) && doubleArg(env, argv[4], &rows) && int32Arg(env, argv[5], &cols) && boolArg(env, argv[6], &rowB) &&
                  (op == 0 || op == 1) && rows >= 0 && cols >= 0;
  const size_t size = ok ? static_cast<size_t>(rows) * cols : 0;
  if (!ok || la != size || lo != size || lb != (rowB ? static_cast<size_t>(cols) : size)) {
    return throwError(env, "binary: expected (op 0|1, Float32Array a of rows·cols, b of cols or rows·cols, out of rows·cols, rows, cols, rowB)");
  }
  binaryOp(op, a, b, out, static_cast<int64_t>(rows), cols, rowB);
  return nullptr;
}

// gemmIsa(name?): the GEMM micro-kernel in use, 'avx2' or 'avx512'; with a name, switches to it
// (the widest the CPU has is the default). Both give the same bits; tests and benchmarks compare them.
napi_value GemmIsaFn(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc == 1) {
    char name[16] = {0};
    size_t len = 0;
    if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok) return throwError(env, "gemmIsa: the name must be a string ('avx2' or 'avx512')");
    if (std::strcmp(name, "avx2") == 0) {
      gemmIsa = GemmIsa::Avx2;
    } else if (std::strcmp(name, "avx512") == 0) {
      if (!hasAvx512()) return throwError(env, "gemmIsa: this CPU lacks AVX-512F");
      gemmIsa = GemmIsa::Avx512;
    } else {
      return throwError(env, "gemmIsa: unknown kernel; allowed: 'avx2', 'avx512'");
    }
  }
  napi_value out;
  napi_create_string_utf8(env, gemmIsa == GemmIsa::Avx512 ? "avx512" : "avx2", NAPI_AUTO_LENGTH, &out);
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_value supported;
  napi_get_boolean(env, cpuSupported(), &supported);
  napi_set_named_property(env, exports, "cpuSupported", supported);
  const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {{"matMul", MatMul}, {"biasActivation", BiasActivation}, {"adam", Adam}, {"conv2d", Conv2D}, {"maxPoolGrad", MaxPoolGrad}, {"columnSums", ColumnSums},
             {"batchNormForward", BatchNormForward}, {"batchNormBackward", BatchNormBackward}, {"binary", Binary}, {"gemmIsa", GemmIsaFn}, {"reluGradBias", ReluGradBias}};
  for (const auto& f : fns) {
    napi_value fn;
    napi_create_function(env, f.name, NAPI_AUTO_LENGTH, f.fn, nullptr, &fn);
    napi_set_named_property(env, exports, f.name, fn);
  }
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
