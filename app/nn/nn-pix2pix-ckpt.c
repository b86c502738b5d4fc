/* nn-pix2pix-ckpt.c — saving and loading the pix2pix model with the checkpoint container (nn-ckpt.h).
 *
 * Sections:
 *   "arch"              blob, text "key=value" lines: the configuration (architecture and losses)
 *   "g.down<i>.w" ...   one tensor per parameter: .w .b .gamma .beta, and .rmean .rvar (batch norm
 *                       running statistics, always float32); "g.up<i>.*", "g.embed", "d.l<l>.*",
 *                       "d.style" (the discriminator's style bias, with d_style=1 in "arch"),
 *                       "g.up<i>.cnorm" (the decoder's style tables, i >= 1, with g_cnorm=1)
 *   "opt_g", "opt_d"    blobs, text: the optimiser configuration and its update count
 *   "opt_g.state" ...   the optimiser state of each network (absent when the rule keeps none), as
 *                       it lies in memory: per NN_P2P_OPT_CHUNKS chunk of the parameter block
 *                       (which includes the arena's alignment padding), the rule's k arrays
 *   "step", "rng"       blobs: the caller's step (u64 LE) and the RNG state (4 × u64 LE)
 *   "meta"              blob: the caller's metadata, verbatim
 * A generator-only checkpoint has only "arch", the "g.*" tensors, "step", "rng" and "meta".
 * The arch text is readable on purpose: a user can see what a checkpoint is with `strings`. */
#include "nn-pix2pix-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn-ckpt.h"

#define ARCH_MAGIC "zimaru-pix2pix 1\n"
#define TEXT_MAX 1024

static NnStatus
put_unit (NnCkptWriter *w, const char *prefix, const NnUnit *u, int fp16)
{
  char name[64];
  int shape[4] = { u->geo.co, u->geo.ci, u->geo.k, u->geo.k };
  int co = u->geo.co;
  NnStatus st;

  if (u->geo.transposed)
    {
      shape[0] = u->geo.ci;
      shape[1] = u->geo.co;
    }
  snprintf (name, sizeof name, "%s.w", prefix);
  if ((st = nn_ckpt_put_tensor (w, name, u->w, shape, 4, fp16)) != NN_OK)
    return st;
  if (u->has_bias)
    {
      snprintf (name, sizeof name, "%s.b", prefix);
      if ((st = nn_ckpt_put_tensor (w, name, u->b, &co, 1, fp16)) != NN_OK)
        return st;
    }
  if (u->has_bn)
    {
      snprintf (name, sizeof name, "%s.gamma", prefix);
      if ((st = nn_ckpt_put_tensor (w, name, u->gamma, &co, 1, fp16)) != NN_OK)
        return st;
      snprintf (name, sizeof name, "%s.beta", prefix);
      if ((st = nn_ckpt_put_tensor (w, name, u->beta, &co, 1, fp16)) != NN_OK)
        return st;
      snprintf (name, sizeof name, "%s.rmean", prefix);
      if ((st = nn_ckpt_put_tensor (w, name, u->run_mean, &co, 1, 0)) != NN_OK)
        return st;
      snprintf (name, sizeof name, "%s.rvar", prefix);
      if ((st = nn_ckpt_put_tensor (w, name, u->run_var, &co, 1, 0)) != NN_OK)
        return st;
    }
  return NN_OK;
}

static NnStatus
get_unit (const NnCkptReader *r, const char *prefix, NnUnit *u)
{
  char name[64];
  int shape[4] = { u->geo.co, u->geo.ci, u->geo.k, u->geo.k };
  int co = u->geo.co;
  NnStatus st;

  if (u->geo.transposed)
    {
      shape[0] = u->geo.ci;
      shape[1] = u->geo.co;
    }
  snprintf (name, sizeof name, "%s.w", prefix);
  if ((st = nn_ckpt_get_tensor (r, name, u->w, shape, 4)) != NN_OK)
    return st;
  if (u->has_bias)
    {
      snprintf (name, sizeof name, "%s.b", prefix);
      if ((st = nn_ckpt_get_tensor (r, name, u->b, &co, 1)) != NN_OK)
        return st;
    }
  if (u->has_bn)
    {
      static const char *const field[] = { "gamma", "beta", "rmean", "rvar" };
      float *dst[] = { u->gamma, u->beta, u->run_mean, u->run_var };
      for (int i = 0; i < 4; i++)
        {
          snprintf (name, sizeof name, "%s.%s", prefix, field[i]);
          if ((st = nn_ckpt_get_tensor (r, name, dst[i], &co, 1)) != NN_OK)
            return st;
        }
    }
  return NN_OK;
}

static void
put_u64_le (uint8_t *p, uint64_t v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t) (v >> (8 * i));
}

static uint64_t
get_u64_le (const uint8_t *p)
{
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v |= (uint64_t) p[i] << (8 * i);
  return v;
}

static int
format_arch (char *buf, size_t cap, const NnPix2PixConfig *c)
{
  return snprintf (buf, cap,
                   ARCH_MAGIC "size=%d\nngf=%d\nndf=%d\nnorm=%d\nn_styles=%d\nembed_dim=%d\n"
                   "dropout=%.9g\ngan_loss=%d\nl1_weight=%.9g\nconst_weight=%.9g\n"
                   "tv_weight=%.9g\nclip_norm=%.9g\nbatch=%d\n%s%s%s",
                   c->size, c->ngf, c->ndf, (int) c->norm, c->n_styles, c->embed_dim,
                   (double) c->dropout, (int) c->gan_loss, (double) c->l1_weight,
                   (double) c->const_weight, (double) c->tv_weight, (double) c->clip_norm,
                   c->batch, c->keep_embed ? "keep_embed=1\n" : "",
                   nn_p2p_has_d_style (c) ? "d_style=1\n" : "",
                   nn_p2p_has_g_cnorm (c) ? "g_cnorm=1\n" : "");
}

static int
format_opt (char *buf, size_t cap, const NnOptConfig *o, uint64_t t)
{
  return snprintf (buf, cap,
                   "kind=%d\nlr=%.9g\nmomentum=%.9g\nnesterov=%d\nbeta1=%.9g\nbeta2=%.9g\n"
                   "eps=%.9g\nweight_decay=%.9g\nalpha=%.9g\nrms_momentum=%.9g\ncentered=%d\n"
                   "t=%llu\n",
                   (int) o->kind, (double) o->lr, (double) o->momentum, o->nesterov,
                   (double) o->beta1, (double) o->beta2, (double) o->eps,
                   (double) o->weight_decay, (double) o->alpha, (double) o->rms_momentum,
                   o->centered, (unsigned long long) t);
}

/* Reads "key=value" from a NUL-terminated text of lines; 0 when the key is missing or unparsable. */
static int
text_field (const char *text, const char *key, double *out)
{
  size_t klen = strlen (key);
  for (const char *line = text; line != NULL && *line != '\0';)
    {
      if (strncmp (line, key, klen) == 0 && line[klen] == '=')
        {
          char *end;
          *out = strtod (line + klen + 1, &end);
          return end != line + klen + 1 && (*end == '\n' || *end == '\0');
        }
      line = strchr (line, '\n');
      if (line != NULL)
        line++;
    }
  return 0;
}

/* Copies a blob into a NUL-terminated text; 0 when it is missing or too long. */
static int
blob_text (const NnCkptReader *r, const char *name, char *text, size_t cap)
{
  const void *data;
  size_t len;
  if (nn_ckpt_get_blob (r, name, &data, &len) != NN_OK || len >= cap)
    return 0;
  memcpy (text, data, len);
  text[len] = '\0';
  return memchr (text, '\0', len) == NULL;
}

static NnStatus
parse_arch (const NnCkptReader *r, NnPix2PixConfig *c)
{
  char text[TEXT_MAX];
  double v[13];
  static const char *const keys[13] = { "size", "ngf", "ndf", "norm", "n_styles", "embed_dim",
                                        "dropout", "gan_loss", "l1_weight", "const_weight",
                                        "tv_weight", "clip_norm", "batch" };
  /* What the file does not carry (the SSIM weight, the precision) starts at zero (float32); the
   * trainer sets it afterwards with nn_pix2pix_set_training. */
  memset (c, 0, sizeof *c);
  if (!blob_text (r, "arch", text, sizeof text)
      || strncmp (text, ARCH_MAGIC, strlen (ARCH_MAGIC)) != 0)
    return NN_ERR_CORRUPT;
  for (int i = 0; i < 13; i++)
    if (!text_field (text, keys[i], &v[i]) || !(v[i] > -1e9 && v[i] < 1e9))
      return NN_ERR_CORRUPT;
  c->size = (int) v[0];
  c->ngf = (int) v[1];
  c->ndf = (int) v[2];
  c->norm = (NnNormKind) (int) v[3];
  c->n_styles = (int) v[4];
  c->embed_dim = (int) v[5];
  c->dropout = (float) v[6];
  c->gan_loss = (NnGanLoss) (int) v[7];
  c->l1_weight = (float) v[8];
  c->const_weight = (float) v[9];
  c->tv_weight = (float) v[10];
  c->clip_norm = (float) v[11];
  c->batch = (int) v[12];
  /* Written only when set, so files without it (all before it existed) read as 0. */
  double keep = 0;
  if (text_field (text, "keep_embed", &keep))
    c->keep_embed = keep == 1.0;
  /* The same: every file before the discriminator's style bias has none. */
  double d_style = 0;
  if (text_field (text, "d_style", &d_style))
    c->d_style = d_style == 1.0;
  double g_cnorm = 0;
  if (text_field (text, "g_cnorm", &g_cnorm))
    c->g_cnorm = g_cnorm == 1.0;
  return nn_pix2pix_check_config (c) == NN_OK ? NN_OK : NN_ERR_CORRUPT;
}

static NnStatus
parse_opt (const NnCkptReader *r, const char *name, NnOptConfig *o, uint64_t *t)
{
  char text[TEXT_MAX];
  double v[12];
  static const char *const keys[12] = { "kind", "lr", "momentum", "nesterov", "beta1", "beta2",
                                        "eps", "weight_decay", "alpha", "rms_momentum",
                                        "centered", "t" };
  if (!blob_text (r, name, text, sizeof text))
    return NN_ERR_CORRUPT;
  for (int i = 0; i < 12; i++)
    if (!text_field (text, keys[i], &v[i]) || !(v[i] >= -1e30 && v[i] <= 1.8e19))
      return NN_ERR_CORRUPT;
  if (v[0] != NN_OPT_SGD && v[0] != NN_OPT_ADAM && v[0] != NN_OPT_RMSPROP)
    return NN_ERR_CORRUPT;
  nn_optim_defaults (o, (NnOptKind) (int) v[0]);
  o->lr = (float) v[1];
  o->momentum = (float) v[2];
  o->nesterov = (int) v[3];
  o->beta1 = (float) v[4];
  o->beta2 = (float) v[5];
  o->eps = (float) v[6];
  o->weight_decay = (float) v[7];
  o->alpha = (float) v[8];
  o->rms_momentum = (float) v[9];
  o->centered = (int) v[10];
  *t = v[11] < 0 ? 0 : (uint64_t) v[11];
  return NN_OK;
}

static NnStatus
put_net (NnCkptWriter *w, const NnPix2Pix *m, int disc, int fp16)
{
  char prefix[32];
  NnStatus st;
  if (disc)
    {
      for (int l = 0; l < NN_P2P_D_LAYERS; l++)
        {
          snprintf (prefix, sizeof prefix, "d.l%d", l);
          if ((st = put_unit (w, prefix, &m->disc[l], fp16)) != NN_OK)
            return st;
        }
      if (m->dstyle != NULL)
        {
          int shape[2] = { m->cfg.n_styles, m->cfg.ndf };
          return nn_ckpt_put_tensor (w, "d.style", m->dstyle, shape, 2, fp16);
        }
      return NN_OK;
    }
  for (int i = 0; i < m->levels; i++)
    {
      snprintf (prefix, sizeof prefix, "g.down%d", i);
      if ((st = put_unit (w, prefix, &m->down[i], fp16)) != NN_OK)
        return st;
      snprintf (prefix, sizeof prefix, "g.up%d", i);
      if ((st = put_unit (w, prefix, &m->up[i], fp16)) != NN_OK)
        return st;
      if (m->gcnorm[i] != NULL)
        {
          char name[48];
          int shape[2] = { m->cfg.n_styles, nn_p2p_g_cnorm_width (&m->up[i]) };
          snprintf (name, sizeof name, "g.up%d.cnorm", i);
          if ((st = nn_ckpt_put_tensor (w, name, m->gcnorm[i], shape, 2, fp16)) != NN_OK)
            return st;
        }
    }
  if (m->embed != NULL)
    {
      int shape[2] = { m->cfg.n_styles, m->cfg.embed_dim };
      return nn_ckpt_put_tensor (w, "g.embed", m->embed, shape, 2, fp16);
    }
  return NN_OK;
}

static NnStatus
get_net (const NnCkptReader *r, NnPix2Pix *m, int disc)
{
  char prefix[32];
  NnStatus st;
  if (disc)
    {
      for (int l = 0; l < NN_P2P_D_LAYERS; l++)
        {
          snprintf (prefix, sizeof prefix, "d.l%d", l);
          if ((st = get_unit (r, prefix, &m->disc[l])) != NN_OK)
            return st;
        }
      if (m->dstyle != NULL)
        {
          int shape[2] = { m->cfg.n_styles, m->cfg.ndf };
          return nn_ckpt_get_tensor (r, "d.style", m->dstyle, shape, 2);
        }
      return NN_OK;
    }
  for (int i = 0; i < m->levels; i++)
    {
      snprintf (prefix, sizeof prefix, "g.down%d", i);
      if ((st = get_unit (r, prefix, &m->down[i])) != NN_OK)
        return st;
      snprintf (prefix, sizeof prefix, "g.up%d", i);
      if ((st = get_unit (r, prefix, &m->up[i])) != NN_OK)
        return st;
      if (m->gcnorm[i] != NULL)
        {
          char name[48];
          int shape[2] = { m->cfg.n_styles, nn_p2p_g_cnorm_width (&m->up[i]) };
          snprintf (name, sizeof name, "g.up%d.cnorm", i);
          if ((st = nn_ckpt_get_tensor (r, name, m->gcnorm[i], shape, 2)) != NN_OK)
            return st;
        }
    }
  if (m->embed != NULL)
    {
      int shape[2] = { m->cfg.n_styles, m->cfg.embed_dim };
      return nn_ckpt_get_tensor (r, "g.embed", m->embed, shape, 2);
    }
  return NN_OK;
}

static NnStatus
put_opt (NnCkptWriter *w, const char *name, const NnOptConfig *o, uint64_t t, const float *state,
         size_t nparams)
{
  char text[TEXT_MAX], sname[64];
  int len = format_opt (text, sizeof text, o, t);
  NnStatus st = nn_ckpt_put_blob (w, name, text, (size_t) len);
  size_t ns = nn_optim_state_floats (o, nparams);
  if (st != NN_OK || ns == 0)
    return st;
  int shape = (int) ns;
  snprintf (sname, sizeof sname, "%s.state", name);
  return nn_ckpt_put_tensor (w, sname, state, &shape, 1, 0);
}

static NnStatus
get_opt_state (const NnCkptReader *r, const char *name, const NnOptConfig *o, float *state,
               size_t nparams)
{
  char sname[64];
  size_t ns = nn_optim_state_floats (o, nparams);
  if (ns == 0)
    return NN_OK;
  int shape = (int) ns;
  snprintf (sname, sizeof sname, "%s.state", name);
  return nn_ckpt_get_tensor (r, sname, state, &shape, 1);
}

/* Lists every section of the model in a new writer, which borrows the model's float32 tensors: the
 * model must not change until the writer is finished. */
static NnStatus
model_writer (NnCkptWriter **out, const NnPix2Pix *m, const NnRng *rng, uint64_t step,
              const char *meta, int generator_only, int fp16)
{
  NnCkptWriter *w = nn_ckpt_writer_new ();
  if (w == NULL)
    return NN_ERR_NOMEM;

  char text[TEXT_MAX];
  uint8_t bytes[32];
  int tlen = format_arch (text, sizeof text, &m->cfg);
  NnStatus st = nn_ckpt_put_blob (w, "arch", text, (size_t) tlen);
  if (st == NN_OK)
    st = put_net (w, m, 0, fp16);
  if (st == NN_OK && !generator_only && m->has_d)
    {
      st = put_net (w, m, 1, fp16);
      if (st == NN_OK)
        st = put_opt (w, "opt_g", &m->opt_g, m->t_g, m->g_state.base, m->g_params.cap);
      if (st == NN_OK)
        st = put_opt (w, "opt_d", &m->opt_d, m->t_d, m->d_state.base, m->d_params.cap);
    }
  if (st == NN_OK)
    {
      put_u64_le (bytes, step);
      st = nn_ckpt_put_blob (w, "step", bytes, 8);
    }
  if (st == NN_OK && rng != NULL)
    {
      for (int i = 0; i < 4; i++)
        put_u64_le (bytes + 8 * i, rng->s[i]);
      st = nn_ckpt_put_blob (w, "rng", bytes, 32);
    }
  if (st == NN_OK && meta != NULL)
    st = nn_ckpt_put_blob (w, "meta", meta, strlen (meta));
  if (st != NN_OK)
    {
      nn_ckpt_writer_free (w);
      return st;
    }
  *out = w;
  return NN_OK;
}

NnStatus
nn_pix2pix_save (const NnPix2Pix *m, const NnRng *rng, uint64_t step, const char *meta,
                 int generator_only, int fp16, uint8_t **buf, size_t *len)
{
  if (m == NULL || buf == NULL || len == NULL)
    return NN_ERR_INVALID;
  NnCkptWriter *w;
  NnStatus st = model_writer (&w, m, rng, step, meta, generator_only, fp16);
  return st == NN_OK ? nn_ckpt_finish (w, buf, len) : st;
}

NnStatus
nn_pix2pix_save_stream (const NnPix2Pix *m, const NnRng *rng, uint64_t step, const char *meta,
                        int generator_only, int fp16, NnCkptSink sink, void *user)
{
  if (m == NULL || sink == NULL)
    return NN_ERR_INVALID;
  NnCkptWriter *w;
  NnStatus st = model_writer (&w, m, rng, step, meta, generator_only, fp16);
  return st == NN_OK ? nn_ckpt_finish_stream (w, sink, user) : st;
}

static int
same_architecture (const NnPix2PixConfig *a, const NnPix2PixConfig *b)
{
  int emb_a = a->n_styles > 1 || a->keep_embed ? a->embed_dim : 0;
  int emb_b = b->n_styles > 1 || b->keep_embed ? b->embed_dim : 0;
  return a->size == b->size && a->ngf == b->ngf && nn_p2p_ndf (a) == nn_p2p_ndf (b) && a->norm == b->norm
         && a->n_styles == b->n_styles && emb_a == emb_b
         && nn_p2p_has_d_style (a) == nn_p2p_has_d_style (b)
         && nn_p2p_has_g_cnorm (a) == nn_p2p_has_g_cnorm (b);
}

static NnStatus
load_from_reader (NnPix2Pix **out, const NnCkptReader *r, size_t file_len,
                  const NnPix2PixConfig *expect, int batch, NnRng *rng_out, uint64_t *step_out,
                  char **meta_out)
{
  NnPix2PixConfig cfg;
  NnStatus st = parse_arch (r, &cfg);
  if (st != NN_OK)
    return st;
  if (expect != NULL && !same_architecture (expect, &cfg))
    return NN_ERR_SHAPE;
  if (batch > 0)
    cfg.batch = batch;

  /* Before allocating anything for it: the file must be able to hold the weights of the networks
   * it claims to carry (2 bytes each at least), so that a forged architecture cannot ask for
   * gigabytes. A training checkpoint carries the discriminator too, whose ndf (up to 1024) alone
   * can ask for 700 million weights. */
  int with_d = nn_ckpt_has (r, "opt_g") && nn_ckpt_has (r, "opt_d");
  size_t weights = nn_p2p_generator_params (&cfg) + (with_d ? nn_p2p_discriminator_params (&cfg) : 0);
  if (weights > file_len / 2)
    return NN_ERR_CORRUPT;
  NnOptConfig opt_g, opt_d;
  uint64_t t_g = 0, t_d = 0;
  if (with_d && ((st = parse_opt (r, "opt_g", &opt_g, &t_g)) != NN_OK
                 || (st = parse_opt (r, "opt_d", &opt_d, &t_d)) != NN_OK))
    return st;

  NnPix2Pix *m;
  st = nn_pix2pix_build (&m, &cfg, with_d ? &opt_g : NULL, with_d ? &opt_d : NULL, with_d);
  if (st != NN_OK)
    return st;
  m->t_g = t_g;
  m->t_d = t_d;
  st = get_net (r, m, 0);
  if (st == NN_OK && with_d)
    st = get_net (r, m, 1);
  if (st == NN_OK && with_d)
    st = get_opt_state (r, "opt_g", &m->opt_g, m->g_state.base, m->g_params.cap);
  if (st == NN_OK && with_d)
    st = get_opt_state (r, "opt_d", &m->opt_d, m->d_state.base, m->d_params.cap);

  const void *data;
  size_t len;
  if (st == NN_OK && step_out != NULL)
    {
      *step_out = 0;
      if (nn_ckpt_get_blob (r, "step", &data, &len) == NN_OK)
        {
          if (len != 8)
            st = NN_ERR_CORRUPT;
          else
            *step_out = get_u64_le (data);
        }
    }
  if (st == NN_OK && rng_out != NULL && nn_ckpt_get_blob (r, "rng", &data, &len) == NN_OK)
    {
      if (len != 32)
        st = NN_ERR_CORRUPT;
      else
        for (int i = 0; i < 4; i++)
          rng_out->s[i] = get_u64_le ((const uint8_t *) data + 8 * i);
    }
  if (st == NN_OK && meta_out != NULL)
    {
      *meta_out = NULL;
      if (nn_ckpt_get_blob (r, "meta", &data, &len) != NN_OK)
        {
          data = "";
          len = 0;
        }
      char *text = malloc (len + 1);
      if (text == NULL)
        st = NN_ERR_NOMEM;
      else
        {
          memcpy (text, data, len);
          text[len] = '\0';
          *meta_out = text;
        }
    }
  if (st != NN_OK)
    {
      nn_pix2pix_free (m);
      return st;
    }
  *out = m;
  return NN_OK;
}

NnStatus
nn_pix2pix_load (NnPix2Pix **out, const uint8_t *buf, size_t len, const NnPix2PixConfig *expect,
                 int batch, NnRng *rng_out, uint64_t *step_out, char **meta_out)
{
  if (out == NULL || buf == NULL)
    return NN_ERR_INVALID;
  NnCkptReader *r;
  NnStatus st = nn_ckpt_reader_open (&r, buf, len);
  if (st != NN_OK)
    return st;
  st = load_from_reader (out, r, len, expect, batch, rng_out, step_out, meta_out);
  nn_ckpt_reader_free (r);
  return st;
}
