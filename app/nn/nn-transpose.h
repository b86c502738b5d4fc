/* nn-transpose.h — a 16 × 16 transpose of 32-bit words in AVX-512 registers, for the engine's
 * packing (nn-gemm.c) and the direct kernels (nn-direct.c). Internal to app/nn; the callers run it
 * only where the processor has AVX-512F. */
#pragma once

#include <immintrin.h>

/* Transposes 16 rows of 16 32-bit words in place (unpacks within 128-bit lanes, then lane
 * shuffles): r[i] word j becomes r[j] word i. The zero-masking forms with every lane kept are the
 * plain instructions; GCC 12's unmasked intrinsics start from a self-initialised vector, which
 * -Wuninitialized reports. */
__attribute__ ((target ("avx512f"))) static inline void
nn_transpose_16x16 (__m512i r[16])
{
  const __mmask16 all16 = 0xffff;
  const __mmask8 all8 = 0xff;
  __m512i t[16], u[16];
  for (int i = 0; i < 8; i++)
    {
      t[2 * i] = _mm512_maskz_unpacklo_epi32 (all16, r[2 * i], r[2 * i + 1]);
      t[2 * i + 1] = _mm512_maskz_unpackhi_epi32 (all16, r[2 * i], r[2 * i + 1]);
    }
  /* u[4i + q] lane L: word 4L + q of rows 4i .. 4i + 3. */
  for (int i = 0; i < 4; i++)
    {
      u[4 * i] = _mm512_maskz_unpacklo_epi64 (all8, t[4 * i], t[4 * i + 2]);
      u[4 * i + 1] = _mm512_maskz_unpackhi_epi64 (all8, t[4 * i], t[4 * i + 2]);
      u[4 * i + 2] = _mm512_maskz_unpacklo_epi64 (all8, t[4 * i + 1], t[4 * i + 3]);
      u[4 * i + 3] = _mm512_maskz_unpackhi_epi64 (all8, t[4 * i + 1], t[4 * i + 3]);
    }
  for (int q = 0; q < 4; q++)
    {
      __m512i a = _mm512_maskz_shuffle_i32x4 (all16, u[q], u[4 + q], 0x88);
      __m512i b = _mm512_maskz_shuffle_i32x4 (all16, u[q], u[4 + q], 0xdd);
      __m512i c = _mm512_maskz_shuffle_i32x4 (all16, u[8 + q], u[12 + q], 0x88);
      __m512i d = _mm512_maskz_shuffle_i32x4 (all16, u[8 + q], u[12 + q], 0xdd);
      r[q] = _mm512_maskz_shuffle_i32x4 (all16, a, c, 0x88);
      r[8 + q] = _mm512_maskz_shuffle_i32x4 (all16, a, c, 0xdd);
      r[4 + q] = _mm512_maskz_shuffle_i32x4 (all16, b, d, 0x88);
      r[12 + q] = _mm512_maskz_shuffle_i32x4 (all16, b, d, 0xdd);
    }
}
