/* nn-pix2pix-pass.c — the forward and backward passes of the pix2pix model on the engine's threads.
 *
 * Threading (sized for two cores): every layer is one nn_pool_run whose parts write disjoint memory —
 * convs split images or channels (nn-conv.h), norms split channels, element-wise work splits the
 * range — and OpenBLAS runs single-threaded inside each part; work too small to share runs as one
 * part. A norm applies the activation after it (or takes the gradient through it and through
 * dropout's mask) in its own loops (NnNormAct), one channel at a time. Dropout
 * draws its mask on one thread, in order, and every part's work depends on its number only, so a
 * run is reproducible for a given thread count (split GEMMs round differently, so counts differ
 * in the last bits). A conv's or a norm's input gradient is written over its fresh buffer
 * (dx_set: no zeroing pass, no read of zeros); the few gradients that collect from two places are
 * zeroed right before their first use, touching only the n images in use. Shapes are CNHW
 * (nn-conv.h); the helpers below are static and checked by the model's own invariants. */
#include "nn-pix2pix-private.h"

#include <string.h>

#include "nn-act.h"
#include "nn-direct.h"
#include "nn-misc.h"
#include "nn-norm.h"
#include "nn-reduce.h"

/* Work below these sizes runs as one part on the calling thread: sharing it would cost more in
 * synchronisation (a few microseconds) than it saves. */
#define SHARE_MIN_MACS 2e6
#define SHARE_MIN_VALUES 32768

static int
parts_for (NnPix2Pix *m, double work, double threshold)
{
  return work < threshold ? 1 : nn_pool_threads (m->pool);
}

/* ---- convolutions ---- */

typedef struct {
  NnPix2Pix    *m;
  const NnUnit *u;
  float        *y, *dx;
  const float  *x, *dy;
  int           n, param_grads, dx_set;
} ConvTask;

static void
conv_forward_task (void *p, int part, int parts)
{
  ConvTask *t = p;
  nn_conv2d_forward_part (t->y, t->m->scratch.base, t->x, t->u->w, t->u->b, &t->u->geo, t->n, part,
                          parts, &t->m->gemm);
}

static void
conv_backward_task (void *p, int part, int parts)
{
  ConvTask *t = p;
  nn_conv2d_backward_part (t->dx, t->param_grads ? t->u->dw : NULL,
                           t->param_grads ? t->u->db : NULL, t->m->scratch.base, t->dy, t->x,
                           t->u->w, &t->u->geo, t->n, part, parts, t->dx_set, &t->m->gemm);
}

static void
convt_forward_task (void *p, int part, int parts)
{
  ConvTask *t = p;
  nn_conv_transpose2d_forward_part (t->y, t->m->scratch.base, t->x, t->u->w, t->u->b, &t->u->geo,
                                    t->n, part, parts, &t->m->gemm);
}

static void
convt_backward_weight_task (void *p, int part, int parts)
{
  ConvTask *t = p;
  nn_conv_transpose2d_backward_weight_part (t->u->dw, t->u->db, t->m->scratch.base, t->dy, t->x,
                                            &t->u->geo, t->n, part, parts, &t->m->gemm);
}

static void
convt_backward_data_task (void *p, int part, int parts)
{
  ConvTask *t = p;
  nn_conv_transpose2d_backward_data_part (t->dx, t->m->scratch.base, t->dy, t->u->w, &t->u->geo,
                                          t->n, part, parts, t->dx_set, &t->m->gemm);
}

static void
direct_pack_task (void *p, int part, int parts)
{
  ConvTask *t = p;
  nn_direct_pack_part (t->m->scratch.base, t->u->w, &t->u->geo, part, parts);
}

static void
direct_forward_task (void *p, int part, int parts)
{
  ConvTask *t = p;
  nn_conv2d_forward_direct_part (t->y, t->m->scratch.base, t->x, t->u->b, &t->u->geo, t->n, part,
                                 parts);
}

/* A conv's parts: as parts_for, and no more than the engine's products have workspaces for. */
static int
conv_parts (NnPix2Pix *m, const NnUnit *u, int n)
{
  int parts = parts_for (m, nn_conv2d_macs (&u->geo, n), SHARE_MIN_MACS);
  if (m->gemm.work != NULL && parts > m->gemm.work_parts)
    parts = m->gemm.work_parts;
  return parts;
}

static void
conv_forward (NnPix2Pix *m, const NnUnit *u, float *y, const float *x, int n)
{
  ConvTask t = { .m = m, .u = u, .y = y, .x = x, .n = n };
  int parts = conv_parts (m, u, n);
  /* The 4×4 stride-2 layers without a column matrix where the processor allows (nn-direct.h), in
   * float32 (bf16 products through the column matrix are faster); the scratch of the largest
   * layer's column matrix holds the packed weights and the panels. */
  if (m->gemm.precision == NN_PRECISION_FP32 && nn_direct_enabled ()
      && nn_direct_forward_fits (&u->geo, n, parts)
      && nn_direct_scratch_floats (&u->geo, parts) <= m->scratch.cap)
    {
      nn_pool_run_parts (m->pool, direct_pack_task, &t, parts);
      nn_pool_run_parts (m->pool, direct_forward_task, &t, parts);
      return;
    }
  nn_pool_run_parts (m->pool, u->geo.transposed ? convt_forward_task : conv_forward_task, &t,
                     parts);
}

/* dx_set: dx is a fresh buffer that this layer's gradient overwrites (it needs no zeroing);
 * otherwise the gradient is added to what dx holds. */
static void
conv_backward (NnPix2Pix *m, const NnUnit *u, float *dx, const float *dy, const float *x, int n,
               int param_grads, int dx_set)
{
  ConvTask t = { .m = m, .u = u, .dx = dx, .dy = dy, .x = x, .n = n, .param_grads = param_grads,
                 .dx_set = dx_set };
  int parts = conv_parts (m, u, n);
  if (!u->geo.transposed)
    {
      nn_pool_run_parts (m->pool, conv_backward_task, &t, parts);
      return;
    }
  /* The input gradient needs every row of the column matrix: a second run. */
  nn_pool_run_parts (m->pool, convt_backward_weight_task, &t, parts);
  if (dx != NULL)
    nn_pool_run_parts (m->pool, convt_backward_data_task, &t, parts);
}

/* ---- normalisation with the activation around it ---- */

typedef struct {
  const NnUnit *u;
  /* forward */
  float        *y, *z, *inv, *act_out;
  const float  *x;
  int           train, update;
  NnNormActKind act;
  /* backward */
  float        *dx;
  const float  *dy, *xhat, *xinv, *mask;
  int           param_grads, lrelu;
  int           n;
} NormTask;

static void
norm_forward_task (void *p, int part, int parts)
{
  NormTask *t = p;
  const NnUnit *u = t->u;
  size_t hw = (size_t) u->geo.ho * u->geo.wo;
  size_t m = (size_t) t->n * hw;
  int c0, cc;
  nn_pool_split (u->geo.co, part, parts, &c0, &cc);
  /* One channel at a time; the norm applies the activation as it writes the channel. */
  for (int ch = c0; ch < c0 + cc; ch++)
    {
      size_t off = (size_t) ch * m;
      NnNormAct act = { t->act, NN_P2P_LRELU_SLOPE, t->act_out != NULL ? t->act_out + off : NULL,
                        NULL };
      if (u->has_bn)
        {
          if (t->train)
            nn_batchnorm2d_forward_train (t->y + off, t->z + off, t->inv + ch,
                                          t->update ? u->run_mean + ch : NULL,
                                          t->update ? u->run_var + ch : NULL, t->x + off,
                                          u->gamma + ch, u->beta + ch, 1, m, NN_BN_MOMENTUM,
                                          NN_NORM_EPS, &act);
          else
            nn_batchnorm2d_forward_eval (t->y + off, t->x + off, u->gamma + ch, u->beta + ch,
                                         u->run_mean + ch, u->run_var + ch, 1, m, NN_NORM_EPS,
                                         &act);
        }
      else
        nn_instancenorm2d_forward (t->y + off, t->z + off, t->inv + (size_t) ch * t->n, t->x + off,
                                   NULL, NULL, 1, t->n, hw, NN_NORM_EPS, &act);
    }
}

/* y = norm(x) (x̂ cached in z, which may be x) with the activation act (see NnNormActKind). */
static void
norm_forward (NnPix2Pix *m, const NnUnit *u, float *y, float *z, float *inv, const float *x, int n,
              int train, int update, NnNormActKind act, float *act_out)
{
  NormTask t = { .u = u, .y = y, .z = z, .inv = inv, .x = x, .n = n, .train = train,
                 .update = update, .act = act, .act_out = act_out };
  nn_pool_run_parts (m->pool, norm_forward_task, &t,
                     parts_for (m, (double) nn_p2p_out_floats (u, n), SHARE_MIN_VALUES));
}

static void
norm_backward_task (void *p, int part, int parts)
{
  NormTask *t = p;
  const NnUnit *u = t->u;
  size_t hw = (size_t) u->geo.ho * u->geo.wo;
  size_t m = (size_t) t->n * hw;
  int c0, cc;
  nn_pool_split (u->geo.co, part, parts, &c0, &cc);
  /* One channel at a time, as the forward pass. */
  for (int ch = c0; ch < c0 + cc; ch++)
    {
      size_t off = (size_t) ch * m;
      NnNormAct act = { t->lrelu ? NN_NORM_ACT_LRELU : NN_NORM_ACT_NONE, NN_P2P_LRELU_SLOPE, NULL,
                        t->mask != NULL ? t->mask + off : NULL };
      if (u->has_bn)
        nn_batchnorm2d_backward (t->dx + off, t->param_grads ? u->dgamma + ch : NULL,
                                 t->param_grads ? u->dbeta + ch : NULL, t->dy + off,
                                 t->xhat + off, t->xinv + ch, u->gamma + ch, u->beta + ch, 1, m, 1,
                                 &act);
      else
        nn_instancenorm2d_backward (t->dx + off, NULL, NULL, t->dy + off, t->xhat + off,
                                    t->xinv + (size_t) ch * t->n, NULL, NULL, 1, t->n, hw, 1,
                                    &act);
    }
}

/* dx = norm'(dy'), written over a fresh dx, where dy' = dy·LeakyReLU'(v) (lrelu: the forward pass
 * applied LeakyReLU to the norm's output v) and/or ·mask (dropout, not NULL). */
static void
norm_backward (NnPix2Pix *m, const NnUnit *u, float *dx, const float *dy, const float *xhat,
               const float *inv, int n, int param_grads, int lrelu, const float *mask)
{
  NormTask t = { .u = u, .dx = dx, .dy = dy, .xhat = xhat, .xinv = inv, .n = n,
                 .param_grads = param_grads, .lrelu = lrelu, .mask = mask };
  nn_pool_run_parts (m->pool, norm_backward_task, &t,
                     parts_for (m, (double) nn_p2p_out_floats (u, n), SHARE_MIN_VALUES));
}

/* ---- element-wise work ---- */

typedef enum {
  EW_LRELU,           /* a = LeakyReLU(b) */
  EW_LRELU_SKIP,      /* a = LeakyReLU(s), then s = ReLU(s) (as NN_NORM_ACT_LRELU_RELU) */
  EW_LRELU_BACKWARD,  /* a += LeakyReLU'(c)·b */
  EW_LRELU_GRAD,      /* a *= LeakyReLU'(c) */
  EW_RELU,            /* a = ReLU(b) */
  EW_RELU_BACKWARD,   /* a += ReLU'(c)·b */
  EW_RELU_GRAD,       /* a *= ReLU'(c) */
  EW_TANH,            /* a = tanh(b) */
  EW_TANH_BACKWARD,   /* a += (1 - c²)·b */
  EW_ZERO,            /* a = 0 */
  EW_SUM_SQUARES,     /* partial[part] = Σ b² */
} EwKind;

typedef struct {
  EwKind       kind;
  float       *a, *s;
  const float *b, *c;
  size_t       n;
  double       partial[64];
} EwTask;

static void
ew_task (void *p, int part, int parts)
{
  EwTask *t = p;
  /* Split on 16-float boundaries so that no two parts share a cache line. */
  size_t blocks = (t->n + 15) / 16;
  size_t first = blocks * part / parts * 16, last = blocks * (part + 1) / parts * 16;
  if (last > t->n)
    last = t->n;
  if (first >= last)
    {
      t->partial[part] = 0.0;
      return;
    }
  size_t cnt = last - first;
  float *a = t->a != NULL ? t->a + first : NULL;
  const float *b = t->b != NULL ? t->b + first : NULL;
  const float *c = t->c != NULL ? t->c + first : NULL;
  switch (t->kind)
    {
    case EW_LRELU: nn_leaky_relu_forward (a, b, NN_P2P_LRELU_SLOPE, cnt); break;
    case EW_LRELU_SKIP:
      nn_leaky_relu_forward (a, t->s + first, NN_P2P_LRELU_SLOPE, cnt);
      nn_relu_forward (t->s + first, t->s + first, cnt);
      break;
    case EW_LRELU_BACKWARD: nn_leaky_relu_backward (a, b, c, NN_P2P_LRELU_SLOPE, cnt); break;
    case EW_LRELU_GRAD: nn_leaky_relu_grad_inplace (a, c, NN_P2P_LRELU_SLOPE, cnt); break;
    case EW_RELU: nn_relu_forward (a, b, cnt); break;
    case EW_RELU_BACKWARD: nn_relu_backward (a, b, c, cnt); break;
    case EW_RELU_GRAD: nn_relu_grad_inplace (a, c, cnt); break;
    case EW_TANH: nn_tanh_forward (a, b, cnt); break;
    case EW_TANH_BACKWARD: nn_tanh_backward (a, b, c, cnt); break;
    case EW_ZERO: memset (a, 0, cnt * sizeof (float)); break;
    case EW_SUM_SQUARES: t->partial[part] = nn_reduce_sq_dev (b, cnt, 0.0f); break;
    default: break;
    }
}

static double
ew (NnPix2Pix *m, EwKind kind, float *a, const float *b, const float *c, size_t n)
{
  EwTask t = { .kind = kind, .a = a, .b = b, .c = c, .n = n };
  int parts = parts_for (m, (double) n, SHARE_MIN_VALUES);
  nn_pool_run_parts (m->pool, ew_task, &t, parts);
  double sum = 0.0;
  if (kind == EW_SUM_SQUARES)
    for (int i = 0; i < parts; i++)
      sum += t.partial[i];
  return sum;
}

/* a = LeakyReLU(s), then s = ReLU(s). */
static void
lrelu_skip (NnPix2Pix *m, float *a, float *s, size_t n)
{
  EwTask t = { .kind = EW_LRELU_SKIP, .a = a, .s = s, .n = n };
  nn_pool_run_parts (m->pool, ew_task, &t, parts_for (m, (double) n, SHARE_MIN_VALUES));
}

void
nn_p2p_zero (NnPix2Pix *m, float *p, size_t n)
{
  ew (m, EW_ZERO, p, NULL, NULL, n);
}

double
nn_p2p_sum_squares (NnPix2Pix *m, const float *p, size_t n)
{
  return ew (m, EW_SUM_SQUARES, NULL, p, NULL, n);
}

typedef struct {
  const NnOptConfig *cfg;
  float              lr;
  uint64_t           t;
  float             *params, *state;
  const float       *grads;
  size_t             n;
} OptTask;

static void
optim_task (void *p, int part, int parts)
{
  OptTask *t = p;
  int c0, cc;
  nn_pool_split (NN_P2P_OPT_CHUNKS, part, parts, &c0, &cc);
  for (int c = c0; c < c0 + cc; c++)
    {
      size_t a = t->n * c / NN_P2P_OPT_CHUNKS, b = t->n * (c + 1) / NN_P2P_OPT_CHUNKS;
      /* Each rule's state is k floats per parameter, laid out per chunk. */
      nn_optim_step (t->cfg, t->lr, t->t, t->params + a, t->grads + a,
                     t->state + nn_optim_state_floats (t->cfg, a), b - a);
    }
}

void
nn_p2p_optim_step (NnPix2Pix *m, const NnOptConfig *cfg, float lr, uint64_t t, float *params,
                   const float *grads, float *state, size_t n)
{
  OptTask task = { .cfg = cfg, .lr = lr, .t = t, .params = params, .grads = grads, .state = state,
                   .n = n };
  nn_pool_run (m->pool, optim_task, &task);
}

/* ---- the generator ---- */

void
nn_p2p_encoder_forward (NnPix2Pix *m, NnEncPass *p, const float *x, int n, int train,
                        int update_running)
{
  /* The main pass's skips (all but the bottleneck) are only read again through the decoder's
   * ReLU, so they are stored after it; the const pass keeps nothing for a decoder. */
  int skips = p == &m->enc;
  for (int i = 0; i < m->levels; i++)
    {
      const NnUnit *u = &m->down[i];
      int normed = u->has_bn || u->has_in;
      int last = i == m->levels - 1;
      /* In evaluation mode batch norm does not cache x̂, so the conv output may stay in z. */
      conv_forward (m, u, normed ? p->z[i] : p->s[i], i == 0 ? x : p->a[i], n);
      if (normed)
        norm_forward (m, u, p->s[i], p->z[i], p->inv[i], p->z[i], n, train, update_running,
                      last ? NN_NORM_ACT_NONE
                           : (skips ? NN_NORM_ACT_LRELU_RELU : NN_NORM_ACT_LRELU),
                      last ? NULL : p->a[i + 1]);
      else if (!last && skips)
        lrelu_skip (m, p->a[i + 1], p->s[i], nn_p2p_out_floats (u, n));
      else if (!last)
        ew (m, EW_LRELU, p->a[i + 1], p->s[i], NULL, nn_p2p_out_floats (u, n));
    }
}

/* Hands the gradient hook (nn_pix2pix_set_grad_hook) a range of net's gradient block that the running
 * backward pass has finished: from first to end, the next range's start (padding included). */
static void
grads_done (NnPix2Pix *m, int net, float *first, const float *end)
{
  if (m->grad_ready != NULL && m->grad_net == net)
    m->grad_ready (m->grad_user, net, first, (size_t) (end - first));
}

void
nn_p2p_encoder_backward (NnPix2Pix *m, NnEncPass *p, const float *x, float *dx0, int n)
{
  for (int i = m->levels - 1; i >= 0; i--)
    {
      const NnUnit *u = &m->down[i];
      float *dy = p->ds[i];
      if (u->has_bn || u->has_in)
        {
          norm_backward (m, u, p->dz[i], p->ds[i], p->z[i], p->inv[i], n, 1, 0, NULL);
          dy = p->dz[i];
        }
      /* da[i] is fresh; the input gradient dx0 (the const pass's) adds to what it holds. */
      conv_backward (m, u, i == 0 ? dx0 : p->da[i], dy, i == 0 ? x : p->a[i], n, 1, i > 0);
      if (p == &m->enc)
        grads_done (m, 0, u->dw, i + 1 < m->levels ? m->down[i + 1].dw : m->up[0].dw);
      if (i > 0)
        ew (m, EW_LRELU_BACKWARD, p->ds[i - 1], p->da[i], p->a[i], nn_p2p_in_floats (u, n));
    }
}

/* The second half of cat[i - 1]: where decoder block i writes its output. */
static float *
up_out (NnPix2Pix *m, float **cat, int i, int n)
{
  return cat[i - 1] + nn_p2p_out_floats (&m->up[i], n);
}

/* Entry k of the row of table [S, d] for image j's style: a[j], or with b the blend
 * (1 − t[j])·a[j] + t[j]·b[j], which is exactly a at t = 0 and b at t = 1. */
static float
style_value (const float *table, int d, int k, const int *a, const int *b, const float *t, int j)
{
  if (b == NULL)
    return table[(size_t) a[j] * d + k];
  return (1.0f - t[j]) * table[(size_t) a[j] * d + k] + t[j] * table[(size_t) b[j] * d + k];
}

/* y[k, j, ·] = style_value (…, k, …, j) for every k < d and image j (CNHW, hw values a plane). */
static void
style_rows (float *y, const float *table, int d, const int *a, const int *b, const float *t, int n,
            size_t hw)
{
  if (b == NULL)
    {
      nn_embedding_forward (y, table, a, d, n, hw);
      return;
    }
  for (int k = 0; k < d; k++)
    for (int j = 0; j < n; j++)
      {
        float v = style_value (table, d, k, a, b, t, j);
        float *p = y + ((size_t) k * n + j) * hw;
        for (size_t i = 0; i < hw; i++)
          p[i] = v;
      }
}

/* ---- conditional normalisation: a decoder block's normalised output v, per style ---- */

typedef struct {
  const NnUnit *u;
  const float  *table;  /* [S, 2·co]: scale offsets a, then shifts b */
  float        *dtable;
  const int    *style, *style_b;
  const float  *t;
  float        *y;      /* forward: v in, ReLU(v·(1 + a) + b) out; backward: the gradient, in place */
  const float  *xhat, *mask;
  int           n;
} CnormTask;

static void
cnorm_forward_task (void *p, int part, int parts)
{
  CnormTask *t = p;
  int co = t->u->geo.co, d = 2 * co;
  size_t hw = (size_t) t->u->geo.ho * t->u->geo.wo;
  int c0, cc;
  nn_pool_split (co, part, parts, &c0, &cc);
  for (int ch = c0; ch < c0 + cc; ch++)
    for (int j = 0; j < t->n; j++)
      {
        float scale = 1.0f + style_value (t->table, d, ch, t->style, t->style_b, t->t, j);
        float shift = style_value (t->table, d, co + ch, t->style, t->style_b, t->t, j);
        float *y = t->y + ((size_t) ch * t->n + j) * hw;
        for (size_t i = 0; i < hw; i++)
          {
            float v = y[i] * scale + shift;
            y[i] = v > 0.0f ? v : 0.0f;
          }
      }
}

/* The gradient y arrives at the block's output already through the ReLU (its consumer applies
 * ReLU' from the stored output) and, with mask, before dropout. v is found again from x̂ as the
 * norm computed it. Adds into dtable; y becomes the gradient w.r.t. v. */
static void
cnorm_backward_task (void *p, int part, int parts)
{
  CnormTask *t = p;
  const NnUnit *u = t->u;
  int co = u->geo.co, d = 2 * co;
  size_t hw = (size_t) u->geo.ho * u->geo.wo;
  int c0, cc;
  nn_pool_split (co, part, parts, &c0, &cc);
  for (int ch = c0; ch < c0 + cc; ch++)
    {
      /* Instance norm here has no affine transform (norm_forward_task). */
      float gamma = u->has_bn ? u->gamma[ch] : 1.0f;
      float beta = u->has_bn ? u->beta[ch] : 0.0f;
      for (int j = 0; j < t->n; j++)
        {
          size_t off = ((size_t) ch * t->n + j) * hw;
          float *dy = t->y + off;
          const float *xh = t->xhat + off;
          const float *mk = t->mask != NULL ? t->mask + off : NULL;
          float scale = 1.0f + t->table[(size_t) t->style[j] * d + ch];
          double da = 0.0, db = 0.0;
          for (size_t i = 0; i < hw; i++)
            {
              float g = mk != NULL ? dy[i] * mk[i] : dy[i];
              da += (double) g * (gamma * xh[i] + beta);
              db += g;
              dy[i] = g * scale;
            }
          t->dtable[(size_t) t->style[j] * d + ch] += (float) da;
          t->dtable[(size_t) t->style[j] * d + co + ch] += (float) db;
        }
    }
}

static void
cnorm_run (NnPix2Pix *m, void (*fn) (void *, int, int), CnormTask *t)
{
  /* Split by channel: each part writes the table entries of its own channels only. */
  nn_pool_run_parts (m->pool, fn, t,
                     parts_for (m, (double) nn_p2p_out_floats (t->u, t->n), SHARE_MIN_VALUES));
}

void
nn_p2p_decoder_forward (NnPix2Pix *m, const int *style, const int *style_b, const float *t, int n,
                        int train, NnRng *rng, float *out)
{
  int L = m->levels;
  int c8 = m->chs[L - 1];

  if (m->embed != NULL)
    style_rows (m->bott + (size_t) c8 * n, m->embed, m->cfg.embed_dim, style, style_b, t, n, 1);
  for (int i = L - 1; i >= 0; i--)
    {
      const NnUnit *u = &m->up[i];
      float *in;
      if (i == L - 1)
        {
          ew (m, EW_RELU, m->r_in, m->bott, NULL, nn_p2p_in_floats (u, n));
          in = m->r_in;
        }
      else
        in = m->cat[i];  /* both halves were stored after their ReLU */
      conv_forward (m, u, m->t[i], in, n);
      if (i == 0)
        ew (m, EW_TANH, out, m->t[0], NULL, nn_p2p_out_floats (u, n));
      else
        {
          /* The output is stored after the next block's ReLU, which commutes with dropout (a
           * non-negative scale). */
          float *y = up_out (m, m->cat, i, n);
          norm_forward (m, u, y, m->t[i], m->uinv[i], m->t[i], n, train, train,
                        m->gcnorm[i] != NULL ? NN_NORM_ACT_NONE : NN_NORM_ACT_RELU, NULL);
          if (m->gcnorm[i] != NULL)
            {
              CnormTask ct = { .u = u, .table = m->gcnorm[i], .style = style, .style_b = style_b,
                               .t = t, .y = y, .n = n };
              cnorm_run (m, cnorm_forward_task, &ct);
            }
          /* One thread draws the mask, in order: the same run whatever the thread count. */
          if (train && nn_p2p_is_dropout_level (m, i))
            nn_dropout_forward (y, m->mask[i], y, m->cfg.dropout, nn_p2p_out_floats (u, n), rng);
        }
    }
}

void
nn_p2p_decoder_backward (NnPix2Pix *m, const int *style, int n, const float *out,
                         const float *dout)
{
  int L = m->levels;
  int c8 = m->chs[L - 1];
  const float *g_end = m->g_grads.base + m->g_grads.cap;

  nn_p2p_zero (m, m->dt[0], nn_p2p_out_floats (&m->up[0], n));
  ew (m, EW_TANH_BACKWARD, m->dt[0], dout, out, nn_p2p_out_floats (&m->up[0], n));
  for (int i = 0; i < L; i++)
    {
      const NnUnit *u = &m->up[i];
      if (i > 0)
        {
          float *dy = up_out (m, m->dcat, i, n);
          const float *mask = nn_p2p_is_dropout_level (m, i) ? m->mask[i] : NULL;
          if (m->gcnorm[i] != NULL)
            {
              /* The mask is taken here, with the style's scale. */
              CnormTask ct = { .u = u, .table = m->gcnorm[i], .dtable = m->dgcnorm[i],
                               .style = style, .y = dy, .xhat = m->t[i], .mask = mask, .n = n };
              cnorm_run (m, cnorm_backward_task, &ct);
              mask = NULL;
            }
          norm_backward (m, u, m->dt[i], dy, m->t[i], m->uinv[i], n, 1, 0, mask);
        }
      /* The block's input gradient (both halves of the concatenation) starts here. */
      if (i == L - 1)
        {
          conv_backward (m, u, m->dr_in, m->dt[i], m->r_in, n, 1, 1);
          ew (m, EW_RELU_BACKWARD, m->dbott, m->dr_in, m->r_in, nn_p2p_in_floats (u, n));
        }
      else
        {
          conv_backward (m, u, m->dcat[i], m->dt[i], m->cat[i], n, 1, 1);
          ew (m, EW_RELU_GRAD, m->dcat[i], NULL, m->cat[i], nn_p2p_in_floats (u, n));
        }
      grads_done (m, 0, u->dw, i + 1 < L ? m->up[i + 1].dw : m->dembed != NULL ? m->dembed : g_end);
    }
  if (m->embed != NULL)
    {
      nn_embedding_backward (m->dembed, m->dbott + (size_t) c8 * n, style, m->cfg.embed_dim, n, 1);
      grads_done (m, 0, m->dembed, g_end);
    }
}

/* ---- the discriminator ---- */

const float *
nn_p2p_d_forward (NnPix2Pix *m, const float *in, const int *style, int n)
{
  for (int l = 0; l < NN_P2P_D_LAYERS; l++)
    {
      const NnUnit *u = &m->disc[l];
      int normed = u->has_bn || u->has_in;
      int last = l == NN_P2P_D_LAYERS - 1;
      conv_forward (m, u, normed ? m->d_z[l] : m->d_a[l], l == 0 ? in : m->d_a[l - 1], n);
      /* D's style bias (nn-pix2pix.h, d_style) on the first layer, before its LeakyReLU. */
      if (l == 0 && m->dstyle != NULL)
        nn_embedding_add (normed ? m->d_z[0] : m->d_a[0], m->dstyle, style, u->geo.co, n,
                          (size_t) u->geo.ho * u->geo.wo);
      if (normed)
        norm_forward (m, u, m->d_a[l], m->d_z[l], m->d_inv[l], m->d_z[l], n, 1, 1,
                      NN_NORM_ACT_LRELU, m->d_a[l]);
      else if (!last)
        ew (m, EW_LRELU, m->d_a[l], m->d_a[l], NULL, nn_p2p_out_floats (u, n));
    }
  return m->d_a[NN_P2P_D_LAYERS - 1];
}

void
nn_p2p_d_backward (NnPix2Pix *m, const float *in, const int *style, int n, int param_grads,
                   float *din)
{
  for (int l = NN_P2P_D_LAYERS - 1; l >= 0; l--)
    {
      const NnUnit *u = &m->disc[l];
      const float *dy = m->d_da[l];
      int last = l == NN_P2P_D_LAYERS - 1;
      if (u->has_bn || u->has_in)
        {
          norm_backward (m, u, m->d_dz[l], m->d_da[l], m->d_z[l], m->d_inv[l], n, param_grads,
                         !last, NULL);
          dy = m->d_dz[l];
        }
      else if (!last)
        ew (m, EW_LRELU_GRAD, m->d_da[l], NULL, m->d_a[l], nn_p2p_out_floats (u, n));
      if (l == 0 && param_grads && m->dstyle != NULL)
        nn_embedding_backward (m->ddstyle, dy, style, u->geo.co, n, (size_t) u->geo.ho * u->geo.wo);
      conv_backward (m, u, l == 0 ? din : m->d_da[l - 1], dy, l == 0 ? in : m->d_a[l - 1], n,
                     param_grads, 1);
      if (param_grads)
        grads_done (m, 1, u->dw, last ? m->d_grads.base + m->d_grads.cap : m->disc[l + 1].dw);
    }
}
