/* nn-peak.h — the processor's measured arithmetic peak: what a loop of independent multiply-adds
 * that touches no memory reaches, one thread per core, for float32 and (where the processor has
 * AVX512_BF16) for bfloat16 dot products. The benchmark reports a training step as a share of it,
 * beside the share of a large OpenBLAS sgemm.
 *
 * Counting: a float32 fused multiply-add is 2 floating-point operations per lane (vfmadd231ps: 32
 * per 512-bit instruction, 16 per 256-bit one). A bf16 dot product vdpbf16ps adds two products of
 * bf16 pairs into each float32 lane, acc += a₀·b₀ + a₁·b₁: 2 multiply-adds = 4 operations per lane,
 * 64 per 512-bit instruction. The bf16 figure counts the same operations a float32 GEMM would do
 * for the same result, so the two peaks and a step's GFLOP/s compare directly. */
#pragma once

#include "nn.h"

typedef struct {
  double fp32_gflops;   /* the faster of the 512-bit and 256-bit FMA loops; 0 without FMA */
  int    fp32_bits;     /* 512 or 256: the vector width that gave it (0 without FMA) */
  double bf16_gflops;   /* the vdpbf16ps loop; 0 where the processor lacks AVX512_BF16 */
  int    threads;       /* threads the loops ran on, one per core, pinned where possible */
} NnPeak;

/* Whether the processor has AVX512_BF16 (with AVX512F and AVX512BW), read at run time. */
int      nn_cpu_has_bf16 (void);

/* Whether one of the engine's AVX-512F kernels may run: the processor has AVX-512F (valgrind hides
 * it) and the environment variable env_name is not "0", which keeps that kernel's work on OpenBLAS
 * for comparison. */
int      nn_cpu_avx512_kernel_on (const char *env_name);

/* precision with NN_PRECISION_AUTO replaced by what it means here: bf16 where the processor has
 * AVX512_BF16, fp32 elsewhere. A 15-minute bf16 run at the defaults reached the validation SSIM and
 * outline figures of a 30-minute fp32 run, and the two trained alike step for step (README.md,
 * "Performance"). fp32 and bf16 come back unchanged. */
NnPrecision nn_precision_resolve (NnPrecision precision);

/* Runs each loop on `threads` threads (<= 0: one per online processor), each pinned to its own
 * processor of the process's affinity mask, about `seconds` each (0.05–2; 0: 0.2), and keeps the
 * best of three rounds. NN_ERR_NOMEM when a thread cannot be started. */
NnStatus nn_peak_measure (NnPeak *out, int threads, double seconds);
