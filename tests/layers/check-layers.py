#!/usr/bin/python3
"""check-layers.py — checks the dependencies between the source files under app/.

Two checks, both over the source tree as it is (no build needed):

1. Layers. Every `#include "..."` in app/** that names a header of another folder must point down
   or to the side allowed by the layer order (README.md, "Layout"):

       nn, glyph  <  run  <  train, export  <  ui, cli

   An include from a lower folder to a higher one fails, and so does one between two folders of the
   same rank (train and export never use each other; nn uses nothing of the other folders).

2. No call cycles between files. A file-level graph: file A -> file B when A uses a function or a
   variable that B defines without `static` (a call, the function passed as a callback, a global
   read or written). Uses inside a file do not count. Every strongly connected component of more than one file is a cycle and fails, named
   with the files and the functions that close it.

Usage: check-layers.py [SOURCE_ROOT]   checks SOURCE_ROOT/app (default: the tree this file is in)
       check-layers.py --self-test     checks small made-up trees and that the checks catch them

Exits 0 when the tree is clean, 1 with one line a problem on stderr otherwise.
"""

import os
import re
import sys
import tempfile

# The folders under app/ and their rank; a folder may include headers of folders of lower rank only.
RANKS = {"nn": 0, "glyph": 0, "run": 1, "train": 2, "export": 2, "ui": 3, "cli": 3}

INCLUDE_RE = re.compile(r'^[ \t]*#[ \t]*include[ \t]+"([^"]+)"', re.MULTILINE)
# A definition: the name at column 0, followed by " (" (GNU style), after a line with its type.
DEFINITION_RE = re.compile(r"^([A-Za-z_]\w*)\s*\(")
# A global variable: type and name at column 0, maybe an array, maybe an initialiser, no parentheses.
VARIABLE_RE = re.compile(r"^[A-Za-z_][\w \t*]*[ \t*]([A-Za-z_]\w*)[ \t]*(\[[^]()]*\])*[ \t]*(=[^()]*|;)[ \t]*$")
NOT_VARIABLE_RE = re.compile(r"(static|extern|typedef|return|else|struct|enum|union|G_\w+)\b")
IDENTIFIER_RE = re.compile(r"\b[A-Za-z_]\w*\b")
KEYWORDS = {"if", "for", "while", "switch", "return", "sizeof", "do", "else", "case", "default"}


def source_files(app_dir, suffixes):
    """Yields (folder, path relative to app_dir) for the files with the suffixes, sorted."""
    for folder in sorted(os.listdir(app_dir)):
        top = os.path.join(app_dir, folder)
        if not os.path.isdir(top):
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(suffixes):
                    yield folder, os.path.relpath(os.path.join(dirpath, name), app_dir)


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def strip_comments_and_strings(text):
    """The text with comments, string and character literals blanked out (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (min(j, n) - i - 1) + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def check_includes(app_dir):
    """Returns the problems with includes, one message each."""
    headers = {}  # header file name -> folders that have one
    for folder, rel in source_files(app_dir, (".h",)):
        headers.setdefault(os.path.basename(rel), []).append(folder)

    problems = []
    for folder, rel in source_files(app_dir, (".c", ".h")):
        if folder not in RANKS:
            problems.append(f"app/{rel}: folder app/{folder} has no place in the layer order")
            continue
        for m in INCLUDE_RE.finditer(read(os.path.join(app_dir, rel))):
            name = m.group(1)
            owners = headers.get(os.path.basename(name), [])
            # Like the compiler: the including file's own folder first.
            if not owners or folder in owners:
                continue
            target = owners[0]
            if target not in RANKS:
                continue
            line = read(os.path.join(app_dir, rel)).count("\n", 0, m.start()) + 1
            where = f'app/{rel}:{line}: #include "{name}" (app/{target})'
            if RANKS[target] > RANKS[folder]:
                problems.append(f"{where}: app/{folder} may not use the higher layer app/{target}")
            elif RANKS[target] == RANKS[folder]:
                problems.append(f"{where}: app/{folder} and app/{target} may not use each other")
    return problems


def definitions(text):
    """The names of the functions and global variables that text defines without static."""
    names = set()
    lines = text.split("\n")
    for k, line in enumerate(lines):
        m = VARIABLE_RE.match(line)
        if m and not NOT_VARIABLE_RE.match(line):
            names.add(m.group(1))
            continue
        m = DEFINITION_RE.match(line)
        if not m or m.group(1) in KEYWORDS or k == 0:
            continue
        # The type line above it: not a statement, a preprocessor line or the end of a block.
        prev = lines[k - 1].rstrip()
        if not prev or prev[0] in "#}{ \t" or prev.endswith((";", ",", "{", "}", "\\")):
            continue
        if re.match(r"\s*(static|G_DEFINE|G_DECLARE|typedef)\b", prev):
            continue
        names.add(m.group(1))
    return names


def call_graph(app_dir):
    """Returns (files, edges): edges[a][b] is the set of names file a uses from file b."""
    texts = {}
    for folder, rel in source_files(app_dir, (".c",)):
        texts[rel] = strip_comments_and_strings(read(os.path.join(app_dir, rel)))
    defined_in = {}  # function name -> files defining it
    for rel, text in texts.items():
        for name in definitions(text):
            defined_in.setdefault(name, []).append(rel)

    edges = {rel: {} for rel in texts}
    for rel, text in texts.items():
        for name in set(IDENTIFIER_RE.findall(text)):
            for target in defined_in.get(name, []):
                # A name this file defines too (main, or a static function of the same name) is its own.
                if target != rel and rel not in defined_in[name]:
                    edges[rel].setdefault(target, set()).add(name)
    return sorted(texts), edges


def strongly_connected(nodes, edges):
    """Tarjan's algorithm (1972), iterative; returns the components, each a sorted list."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == node:
                        break
                result.append(sorted(component))
    return result


def check_cycles(app_dir):
    """Returns the call cycles between files, one message each."""
    nodes, edges = call_graph(app_dir)
    problems = []
    for component in strongly_connected(nodes, edges):
        if len(component) < 2:
            continue
        members = set(component)
        uses = []
        for a in component:
            for b in sorted(set(edges[a]) & members):
                names = sorted(edges[a][b])
                shown = ", ".join(names[:4]) + (f" (+{len(names) - 4} more)" if len(names) > 4 else "")
                uses.append(f"app/{a} -> app/{b} ({shown})")
        files = ", ".join(f"app/{f}" for f in component)
        problems.append(f"call cycle between {files}: " + "; ".join(uses))
    return problems


def check(root):
    app_dir = os.path.join(root, "app")
    return check_includes(app_dir) + check_cycles(app_dir)


def write_tree(root, files):
    for rel, text in files.items():
        path = os.path.join(root, "app", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def self_test():
    """Checks made-up trees: a clean one passes, and each kind of fault is reported by name."""
    clean = {
        "nn/nn-a.h": "int nn_a (int x);\n",
        "nn/nn-a.c": '#include "nn-a.h"\n\nint\nnn_a (int x)\n{\n  return x;\n}\n',
        "run/zi-b.h": '#include "nn-a.h"\nint zi_b (void);\n',
        "run/zi-b.c": '#include "config.h"\n#include "zi-b.h"\n\n/* zi_c () is not a call. */\nstatic int\n'
                      'helper (void)\n{\n  return nn_a (1);\n}\n\nint\nzi_b (void)\n{\n  return helper ();\n}\n',
        "ui/zi-c.c": '#include "zi-b.h"\n\nvoid\nzi_c (void (*cb) (void))\n{\n  zi_b ();\n  cb ();\n}\n',
        "ui/zi-d.c": '#include "zi-b.h"\n\nstatic void\ndone_cb (void)\n{\n}\n\nvoid\nzi_d (void)\n{\n'
                     '  zi_c (done_cb);\n  puts ("zi_e (");\n}\n',
        "ui/zi-e.c": "void\nzi_e (void)\n{\n  zi_d ();\n}\n",
    }
    faults = {
        "upward include": ({"nn/nn-up.c": '#include "zi-b.h"\n'},
                           ['app/nn/nn-up.c:1: #include "zi-b.h" (app/run): app/nn may not use the higher layer']),
        "sideways include": ({"train/zi-t.h": "", "export/zi-x.c": '\n#include "zi-t.h"\n'},
                             ['app/export/zi-x.c:2: #include "zi-t.h" (app/train): app/export and app/train '
                              "may not use each other"]),
        "call cycle": ({"ui/zi-c.c": clean["ui/zi-c.c"].replace("  cb ();", "  cb ();\n  zi_e ();")},
                       ["call cycle between app/ui/zi-c.c, app/ui/zi-d.c, app/ui/zi-e.c: "
                        "app/ui/zi-c.c -> app/ui/zi-e.c (zi_e); app/ui/zi-d.c -> app/ui/zi-c.c (zi_c); "
                        "app/ui/zi-e.c -> app/ui/zi-d.c (zi_d)"]),
        "variable cycle": ({"ui/zi-e.c": "int zi_e_count[2];\n\nvoid\nzi_e (void)\n{\n  zi_d ();\n}\n",
                            "ui/zi-d.c": clean["ui/zi-d.c"].replace("  zi_c (done_cb);", "  zi_c (done_cb);\n"
                                                                    "  zi_e_count[0]++;")},
                           ["call cycle between app/ui/zi-d.c, app/ui/zi-e.c: app/ui/zi-d.c -> app/ui/zi-e.c "
                            "(zi_e_count); app/ui/zi-e.c -> app/ui/zi-d.c (zi_d)"]),
        "callback cycle": ({"run/zi-b.c": clean["run/zi-b.c"].replace("return helper ();",
                                                                       "return helper () + (nn_f != 0);"),
                            "nn/nn-f.c": "int\nnn_f (void)\n{\n  return zi_b ();\n}\n"},
                           ["call cycle between app/nn/nn-f.c, app/run/zi-b.c: app/nn/nn-f.c -> app/run/zi-b.c "
                            "(zi_b); app/run/zi-b.c -> app/nn/nn-f.c (nn_f)"]),
    }
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        write_tree(os.path.join(tmp, "clean"), clean)
        got = check(os.path.join(tmp, "clean"))
        print(("ok" if not got else "not ok") + " 1 - a clean tree passes")
        for p in got:
            print(f"# unexpected: {p}")
        failures += bool(got)
        for k, (what, (change, expected)) in enumerate(faults.items(), start=2):
            root = os.path.join(tmp, what.replace(" ", "-"))
            write_tree(root, {**clean, **change})
            got = check(root)
            missing = [e for e in expected if not any(p.startswith(e) for p in got)]
            extra = len(got) != len(expected)
            print(("not ok" if missing or extra else "ok") + f" {k} - {what} is reported")
            for p in got:
                print(f"# reported: {p}")
            failures += bool(missing or extra)
    print(f"1..{len(faults) + 1}")
    return 1 if failures else 0


def main(argv):
    if len(argv) > 1 and argv[1] == "--self-test":
        return self_test()
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    problems = check(root)
    for p in problems:
        print(f"check-layers: {p}", file=sys.stderr)
    if not problems:
        print("check-layers: app/ keeps its layers and has no call cycles between files")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
