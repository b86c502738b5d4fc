/* zi-font-picker.c — choosing a font by family or by file, with a face choice for collections. */
#include "config.h"
#include "zi-font-picker.h"

#include "zi-font.h"

#include <glib/gi18n.h>

typedef struct {
  GtkWindow         *parent;
  GObject           *owner;
  ZiFontPickedFunc   func;
  ZiFontsPickedFunc  many;   /* instead of func, for the pickers of several styles */
  gpointer           user_data;  /* many's */
} Pick;

static Pick *
pick_new (GtkWindow *parent, GObject *owner, ZiFontPickedFunc func)
{
  Pick *pick = g_new0 (Pick, 1);

  pick->parent = parent != NULL ? g_object_ref (parent) : NULL;
  pick->owner = g_object_ref (owner);
  pick->func = func;
  return pick;
}

static void
pick_free (Pick *pick)
{
  g_clear_object (&pick->parent);
  g_clear_object (&pick->owner);
  g_free (pick);
}

static void
pick_closure_free (gpointer data, GClosure *closure)
{
  pick_free (data);
}

static void
font_chosen_cb (GtkFontChooserDialog *dialog, int response, Pick *pick)
{
  if (response == GTK_RESPONSE_OK)
    {
      PangoFontFamily *family = gtk_font_chooser_get_font_family (GTK_FONT_CHOOSER (dialog));
      if (family != NULL)
        pick->func (pick->owner, pango_font_family_get_name (family), NULL);
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* The family dialog of both installed-font pickers. */
static GtkWidget *
family_dialog_new (GtkWindow *parent, const char *title)
{
  GtkWidget *dialog = gtk_font_chooser_dialog_new (title, parent);

  gtk_font_chooser_set_level (GTK_FONT_CHOOSER (dialog), GTK_FONT_CHOOSER_LEVEL_FAMILY);
  /* Characters that show a style at a glance: 永 has every basic stroke. */
  gtk_font_chooser_set_preview_text (GTK_FONT_CHOOSER (dialog), "永東國酬愛鬱靈鷹袋 あア Aa");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  return dialog;
}

void
zi_font_picker_choose_installed (GtkWindow *parent, const char *title, GObject *owner, ZiFontPickedFunc func)
{
  GtkWidget *dialog;

  g_return_if_fail (G_IS_OBJECT (owner) && func != NULL);

  dialog = family_dialog_new (parent, title);
  g_signal_connect_data (dialog, "response", G_CALLBACK (font_chosen_cb), pick_new (parent, owner, func),
                         pick_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
family_chosen_cb (GtkFontChooserDialog *dialog, int response, Pick *pick)
{
  if (response == GTK_RESPONSE_OK)
    {
      PangoFontFamily *family = gtk_font_chooser_get_font_family (GTK_FONT_CHOOSER (dialog));
      const char *name = family != NULL ? pango_font_family_get_name (family) : NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) specs = name != NULL ? zi_font_list_family (name, &error) : NULL;

      if (specs != NULL)
        {
          guint n = g_strv_length (specs);
          g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u weight",
                                                                 "%s: %u weights", n), name, n);
          pick->many (pick->user_data, (const char * const *) specs, label, NULL);
        }
      else if (name != NULL)
        pick->many (pick->user_data, NULL, NULL, error->message);
    }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

void
zi_font_picker_choose_family (GtkWindow *parent, const char *title, GObject *owner, ZiFontsPickedFunc func,
                              gpointer user_data)
{
  GtkWidget *dialog;
  Pick *pick;

  g_return_if_fail (G_IS_OBJECT (owner) && func != NULL);

  dialog = family_dialog_new (parent, title);
  pick = pick_new (parent, owner, NULL);
  pick->many = func;
  pick->user_data = user_data;
  g_signal_connect_data (dialog, "response", G_CALLBACK (family_chosen_cb), pick, pick_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
face_chosen_cb (GtkDropDown *dropdown, GParamSpec *pspec, Pick *pick)
{
  const char *path = g_object_get_data (G_OBJECT (dropdown), "path");
  g_autofree char *spec = g_strdup_printf ("%s#%u", path, gtk_drop_down_get_selected (dropdown));

  pick->func (pick->owner, spec, NULL);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (dropdown))));
}

/* A collection holds several faces: let the user pick one by family and style. */
static void
choose_face (Pick *pick, const char *path, int n_faces)
{
  GtkWidget *dialog = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *label = gtk_label_new (_("This file holds several faces. Which one?"));
  GtkStringList *faces = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  for (int i = 0; i < n_faces; i++)
    {
      g_autofree char *spec = g_strdup_printf ("%s#%d", path, i);
      ZiFont *font = zi_font_open (spec, NULL);
      g_autofree char *name = font != NULL
        ? g_strdup_printf ("%d: %s %s", i, zi_font_get_family (font), zi_font_get_style (font))
        : g_strdup_printf ("%d", i);
      gtk_string_list_append (faces, name);
      g_clear_pointer (&font, zi_font_free);
    }
  dropdown = gtk_drop_down_new (G_LIST_MODEL (faces), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), GTK_INVALID_LIST_POSITION);
  g_object_set_data_full (G_OBJECT (dropdown), "path", g_strdup (path), g_free);
  g_signal_connect_data (dropdown, "notify::selected", G_CALLBACK (face_chosen_cb),
                         pick_new (pick->parent, pick->owner, pick->func), pick_closure_free, 0);

  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), dropdown);
  gtk_window_set_child (GTK_WINDOW (dialog), box);
  gtk_window_set_title (GTK_WINDOW (dialog), _("Choose a Face"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), pick->parent);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
file_chosen_cb (GtkFileChooserNative *chooser, int response, Pick *pick)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;
      ZiFont *font = path != NULL ? zi_font_open (path, &error) : NULL;

      if (font == NULL)
        pick->func (pick->owner, NULL, error != NULL ? error->message : _("Only local font files can be opened."));
      else if (zi_font_get_face_count (font) > 1)
        choose_face (pick, path, zi_font_get_face_count (font));
      else
        pick->func (pick->owner, path, NULL);
      g_clear_pointer (&font, zi_font_free);
    }
  g_object_unref (chooser);
}

static GtkFileChooserNative *
font_file_chooser_new (GtkWindow *parent, const char *title)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Fonts"));
  gtk_file_filter_add_mime_type (filter, "font/*");
  gtk_file_filter_add_mime_type (filter, "application/x-font-ttf");
  gtk_file_filter_add_mime_type (filter, "application/vnd.ms-opentype");
  gtk_file_filter_add_suffix (filter, "ttc");
  gtk_file_filter_add_suffix (filter, "otc");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  return chooser;
}

void
zi_font_picker_open_file (GtkWindow *parent, const char *title, GObject *owner, ZiFontPickedFunc func)
{
  GtkFileChooserNative *chooser;

  g_return_if_fail (G_IS_OBJECT (owner) && func != NULL);

  chooser = font_file_chooser_new (parent, title);
  g_signal_connect_data (chooser, "response", G_CALLBACK (file_chosen_cb), pick_new (parent, owner, func),
                         pick_closure_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
files_chosen_cb (GtkFileChooserNative *chooser, int response, Pick *pick)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < g_list_model_get_n_items (files) && error == NULL; i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          char *path = g_file_get_path (file);
          ZiFont *font = path != NULL ? zi_font_open (path, &error) : NULL;

          if (font != NULL)
            g_ptr_array_add (specs, path);
          else
            g_free (path);
          if (font == NULL && error == NULL)
            g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 _("Only local font files can be opened."));
          g_clear_pointer (&font, zi_font_free);
        }
      if (error != NULL)
        pick->many (pick->user_data, NULL, NULL, error->message);
      else if (specs->len > 0)
        {
          g_ptr_array_add (specs, NULL);
          pick->many (pick->user_data, (const char * const *) specs->pdata, NULL, NULL);
        }
    }
  g_object_unref (chooser);
}

void
zi_font_picker_open_files (GtkWindow *parent, const char *title, GObject *owner, ZiFontsPickedFunc func,
                           gpointer user_data)
{
  GtkFileChooserNative *chooser;
  Pick *pick;

  g_return_if_fail (G_IS_OBJECT (owner) && func != NULL);

  chooser = font_file_chooser_new (parent, title);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  pick = pick_new (parent, owner, NULL);
  pick->many = func;
  pick->user_data = user_data;
  g_signal_connect_data (chooser, "response", G_CALLBACK (files_chosen_cb), pick, pick_closure_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
