/* zi-blocks.c — a table of Unicode blocks (Unicode 15.0 ranges) for per-block coverage reports. It
 * lists the blocks a CJK or Latin font is likely to touch; code points elsewhere are reported as
 * "Other" by the callers. */
#include "config.h"
#include "zi-blocks.h"

static const ZiBlock blocks[] = {
  { 0x0000, 0x007F, "Basic Latin" },
  { 0x0080, 0x00FF, "Latin-1 Supplement" },
  { 0x0100, 0x017F, "Latin Extended-A" },
  { 0x0180, 0x024F, "Latin Extended-B" },
  { 0x0250, 0x02AF, "IPA Extensions" },
  { 0x02B0, 0x02FF, "Spacing Modifier Letters" },
  { 0x0300, 0x036F, "Combining Diacritical Marks" },
  { 0x0370, 0x03FF, "Greek and Coptic" },
  { 0x0400, 0x04FF, "Cyrillic" },
  { 0x0500, 0x052F, "Cyrillic Supplement" },
  { 0x0590, 0x05FF, "Hebrew" },
  { 0x0600, 0x06FF, "Arabic" },
  { 0x0E00, 0x0E7F, "Thai" },
  { 0x1100, 0x11FF, "Hangul Jamo" },
  { 0x1E00, 0x1EFF, "Latin Extended Additional" },
  { 0x1F00, 0x1FFF, "Greek Extended" },
  { 0x2000, 0x206F, "General Punctuation" },
  { 0x2070, 0x209F, "Superscripts and Subscripts" },
  { 0x20A0, 0x20CF, "Currency Symbols" },
  { 0x2100, 0x214F, "Letterlike Symbols" },
  { 0x2150, 0x218F, "Number Forms" },
  { 0x2190, 0x21FF, "Arrows" },
  { 0x2200, 0x22FF, "Mathematical Operators" },
  { 0x2300, 0x23FF, "Miscellaneous Technical" },
  { 0x2400, 0x243F, "Control Pictures" },
  { 0x2460, 0x24FF, "Enclosed Alphanumerics" },
  { 0x2500, 0x257F, "Box Drawing" },
  { 0x2580, 0x259F, "Block Elements" },
  { 0x25A0, 0x25FF, "Geometric Shapes" },
  { 0x2600, 0x26FF, "Miscellaneous Symbols" },
  { 0x2700, 0x27BF, "Dingbats" },
  { 0x2E80, 0x2EFF, "CJK Radicals Supplement" },
  { 0x2F00, 0x2FDF, "Kangxi Radicals" },
  { 0x2FF0, 0x2FFF, "Ideographic Description Characters" },
  { 0x3000, 0x303F, "CJK Symbols and Punctuation" },
  { 0x3040, 0x309F, "Hiragana" },
  { 0x30A0, 0x30FF, "Katakana" },
  { 0x3100, 0x312F, "Bopomofo" },
  { 0x3130, 0x318F, "Hangul Compatibility Jamo" },
  { 0x3190, 0x319F, "Kanbun" },
  { 0x31A0, 0x31BF, "Bopomofo Extended" },
  { 0x31C0, 0x31EF, "CJK Strokes" },
  { 0x31F0, 0x31FF, "Katakana Phonetic Extensions" },
  { 0x3200, 0x32FF, "Enclosed CJK Letters and Months" },
  { 0x3300, 0x33FF, "CJK Compatibility" },
  { 0x3400, 0x4DBF, "CJK Unified Ideographs Extension A" },
  { 0x4DC0, 0x4DFF, "Yijing Hexagram Symbols" },
  { 0x4E00, 0x9FFF, "CJK Unified Ideographs" },
  { 0xA000, 0xA48F, "Yi Syllables" },
  { 0xAC00, 0xD7AF, "Hangul Syllables" },
  { 0xE000, 0xF8FF, "Private Use Area" },
  { 0xF900, 0xFAFF, "CJK Compatibility Ideographs" },
  { 0xFE00, 0xFE0F, "Variation Selectors" },
  { 0xFE10, 0xFE1F, "Vertical Forms" },
  { 0xFE30, 0xFE4F, "CJK Compatibility Forms" },
  { 0xFE50, 0xFE6F, "Small Form Variants" },
  { 0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms" },
  { 0x1F100, 0x1F1FF, "Enclosed Alphanumeric Supplement" },
  { 0x1F200, 0x1F2FF, "Enclosed Ideographic Supplement" },
  { 0x20000, 0x2A6DF, "CJK Unified Ideographs Extension B" },
  { 0x2A700, 0x2B73F, "CJK Unified Ideographs Extension C" },
  { 0x2B740, 0x2B81F, "CJK Unified Ideographs Extension D" },
  { 0x2B820, 0x2CEAF, "CJK Unified Ideographs Extension E" },
  { 0x2CEB0, 0x2EBEF, "CJK Unified Ideographs Extension F" },
  { 0x2F800, 0x2FA1F, "CJK Compatibility Ideographs Supplement" },
  { 0x30000, 0x3134F, "CJK Unified Ideographs Extension G" },
  { 0xE0100, 0xE01EF, "Variation Selectors Supplement" },
};

const ZiBlock *
zi_blocks_get (guint *n_blocks)
{
  g_return_val_if_fail (n_blocks != NULL, NULL);

  *n_blocks = G_N_ELEMENTS (blocks);
  return blocks;
}

const ZiBlock *
zi_block_for_char (gunichar c)
{
  gsize lo = 0, hi = G_N_ELEMENTS (blocks);

  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;
      if (c < blocks[mid].first)
        hi = mid;
      else if (c > blocks[mid].last)
        lo = mid + 1;
      else
        return &blocks[mid];
    }
  return NULL;
}
