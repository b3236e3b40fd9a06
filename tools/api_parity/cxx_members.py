"""A pragmatic reader of the public members of C++ classes in header files.

Not a C++ parser: it strips comments and string literals, keeps one branch of
each preprocessor conditional, and walks braces to find class definitions and
the declarations at the top level of their bodies. Good enough for the
regular style of Boost.Interprocess's headers and refipc's.
"""

import re
from dataclasses import dataclass, field

# Boost's portability macros, replaced by what they stand for in C++17.
_MACROS = [
    (re.compile(r"\bBOOST_RV_REF_BEG\b(.*?)\bBOOST_RV_REF_END\b"), r"\1&&"),
    (re.compile(r"\bBOOST_RV_REF\s*\(([^()]*(?:\([^()]*\))?[^()]*)\)"), r"\1&&"),
    (re.compile(r"\bBOOST_COPY_ASSIGN_REF\s*\(([^()]*)\)"), r"const \1&"),
    (re.compile(r"\bBOOST_FWD_REF\s*\(([^()]*)\)"), r"\1&&"),
    (re.compile(r"\bBOOST_(?:MOVABLE_BUT_NOT_COPYABLE|COPYABLE_AND_MOVABLE)\s*\([^()]*\)"), ""),
    (re.compile(r"\bBOOST_NOEXCEPT(?:_OR_NOTHROW)?\b"), "noexcept"),
    (re.compile(r"\bBOOST_INTERPROCESS_NOEXCEPT\b"), "noexcept"),
    (re.compile(r"\bBOOST_(?:INTERPROCESS_)?(?:FORCEINLINE|CONSTEXPR|INTERPROCESS_DECL)\b"), ""),
    (re.compile(r"\bBOOST_CONTAINER_DOC1ST\s*\(([^,()]*),([^()]*)\)"), r"\2"),
]

_ACCESS = re.compile(r"^\s*(public|private|protected)\s*:(?!:)")
_CLASS_HEAD = re.compile(
    r"(?:^|[\s>])(class|struct|union)\s+(?:\w+\s+)*?(\w+)\s*(final\s*)?(?::(?!:)(.*))?$", re.S
)
_ENUM_HEAD = re.compile(r"^\s*enum\s+(?:class\s+|struct\s+)?(\w+)")
_NAMESPACE_HEAD = re.compile(r"^\s*(?:inline\s+)?namespace\s*([\w:]*)\s*$")


@dataclass
class Member:
    name: str
    kind: str  # function, constructor, type, data
    signature: str
    min_args: int = 0
    max_args: int = 0  # -1: any number


@dataclass
class ClassInfo:
    name: str
    namespace: str
    header: str
    bases: list = field(default_factory=list)  # public bases, last name component
    members: list = field(default_factory=list)


def strip_comments_and_strings(text):
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            out.append(" ")
            i = n if j < 0 else j + 2
        elif c in "\"'":
            # A digit separator (1'000) is not a character literal.
            if c == "'" and i > 0 and text[i - 1].isalnum() and i + 1 < n and text[i + 1].isalnum():
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _takes_else_branch(condition):
    # Windows-only code is not what either implementation offers on POSIX.
    return bool(re.search(r"(?<!!)defined\s*\(?\s*(?:BOOST_INTERPROCESS_WINDOWS|_WIN32)\b", condition))


def preprocess(text):
    """Drops directives, keeping the first branch of each conditional (the
    #else branch when the condition selects Windows)."""
    lines = text.replace("\\\n", " ").split("\n")
    out = []
    stack = []  # per conditional: [keeping this branch, a branch was already kept]
    for line in lines:
        m = re.match(r"\s*#\s*(\w*)(.*)", line)
        active = all(s[0] for s in stack)
        if not m:
            if active:
                out.append(line)
            continue
        directive, rest = m.group(1), m.group(2)
        if directive in ("if", "ifdef", "ifndef"):
            keep = not _takes_else_branch(rest) if directive == "if" else True
            stack.append([keep, keep])
        elif directive in ("elif", "else") and stack:
            top = stack[-1]
            top[0] = not top[1]
            top[1] = True
        elif directive == "endif" and stack:
            stack.pop()
    return "\n".join(out)


def clean(text):
    text = preprocess(strip_comments_and_strings(text))
    for pattern, repl in _MACROS:
        text = pattern.sub(repl, text)
    return text


def _match_brace(text, i):
    """Index just past the brace block opening at text[i]."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def _open_angles(head):
    """Template brackets left open in `head` (operators aside)."""
    h = re.sub(r"operator\s*(<<=|>>=|<=>|<<|>>|<=|>=|<|>|->)", "", head)
    h = h.replace("->", "")
    return h.count("<") - h.count(">")


def _split_top(s, sep=","):
    parts, depth, cur = [], 0, []
    for c in s:
        if c in "(<[{":
            depth += 1
        elif c in ")>]}":
            depth -= 1
        if c == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


def _strip_template_prefix(head):
    head = head.strip()
    while head.startswith("template"):
        i = head.find("<")
        if i < 0:
            break
        depth = 0
        for j in range(i, len(head)):
            if head[j] == "<":
                depth += 1
            elif head[j] == ">":
                depth -= 1
                if depth == 0:
                    head = head[j + 1 :].strip()
                    break
        else:
            break
    return head


def _squash(s):
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"\s*([(),<>&*\[\]])\s*", r"\1", s)
    s = re.sub(r",", ", ", s)
    s = re.sub(r"([&*]+)(?=[A-Za-z_])", r"\1 ", s)
    s = re.sub(r"\)(?=[A-Za-z_])", ") ", s)
    s = re.sub(r"\b(const|volatile|noexcept|override|final)\b(?=[^\s,)>&*])", r"\1 ", s)
    return s.replace(">>", "> >").replace("> >", ">>")


_FUNC_NAME = re.compile(r"(operator\s*(?:\(\s*\)|\[\s*\]|[^\s\w(]+|[\w:<>\s*&]+?)|~?\w+)\s*\($")


def _parse_function(head, class_name):
    """(name, kind, signature, min, max) of a function declaration head, or None."""
    body = _strip_template_prefix(head)
    # Find the parameter list: the first '(' at template depth 0 preceded by a name.
    depth = 0
    for i, c in enumerate(body):
        if c == "<":
            depth += 1
        elif c == ">" and depth > 0:
            depth -= 1
        elif c == "(" and depth == 0:
            if body[:i].rstrip().endswith("operator"):
                continue  # operator(): the parameters follow "()"
            m = _FUNC_NAME.search(body[: i + 1])
            if not m:
                return None
            name = re.sub(r"\s+", "", m.group(1))
            if name.startswith("operator") and re.match(r"operator\w", name):
                name = "operator " + name[len("operator") :]
            if name in ("decltype", "alignas", "static_assert", "__attribute__"):
                return None
            close, pdepth = None, 0
            for j in range(i, len(body)):
                if body[j] == "(":
                    pdepth += 1
                elif body[j] == ")":
                    pdepth -= 1
                    if pdepth == 0:
                        close = j
                        break
            if close is None:
                return None
            params = body[i + 1 : close].strip()
            tail = body[close + 1 :]
            # Drop a constructor's initializer list and a pure/deleted marker.
            tail = re.split(r"(?<!:):(?!:)", tail)[0]
            if re.search(r"=\s*delete\b", tail):
                return "deleted"
            tail = re.sub(r"=\s*(0|default)\s*$", "", tail.strip())
            plist = [p.strip() for p in _split_top(params)] if params and params != "void" else []
            max_args = -1 if any("..." in p for p in plist) else len(plist)
            # A defaulted enable_if parameter only constrains the overload.
            sfinae = [p for p in plist if "enable_if" in p and "=" in p]
            if max_args != -1:
                max_args -= len(sfinae)
            required = [p for p in plist if "=" not in p and "..." not in p]
            kind = "constructor" if name == class_name else "function"
            prefix = body[: m.start(1)]
            prefix = re.sub(r"\b(inline|virtual)\b", "", prefix)
            sig = _squash(prefix + name + "(" + params + ")" + " " + tail)
            return name, kind, sig, len(required), max_args
    return None


def _parse_declaration(stmt, class_name):
    """Members declared by one statement at class scope."""
    s = stmt.strip()
    if not s or s.startswith(("friend", "static_assert", "using namespace")):
        return []
    if re.match(r"BOOST_\w+\s*\(", s):
        return []
    m = re.match(r"typedef\s+(.*?)(\w+)\s*(\[[^\]]*\])?$", s, re.S)
    if m:
        return [Member(m.group(2), "type", _squash(s))]
    m = re.match(r"(?:template\s*<.*>\s*)?using\s+(\w+)\s*=", s, re.S)
    if m:
        return [Member(m.group(1), "type", _squash(s))]
    m = re.match(r"using\s+(?:typename\s+)?(?:[\w<>, ]*::)?(\w+)(?:<[^;]*>)?::(~?\w+)$", s, re.S)
    if m:  # a using-declaration of a base's member: any signature
        if m.group(1) == m.group(2):  # inherited constructors
            return [Member(class_name, "constructor", _squash(s), 0, -1)]
        return [Member(m.group(2), "function", _squash(s), 0, -1)]
    t = _strip_template_prefix(s)
    if "(" in t and (not re.match(r"[^()=]*=", t) or re.match(r"[^()]*\boperator\b", t)):
        f = _parse_function(s, class_name)
        if f == "deleted" or f is None:
            return []
        name, kind, sig, lo, hi = f
        if name.startswith("~"):
            return []
        return [Member(name, kind, sig, lo, hi)]
    # Data members (constants, mostly).
    decl = re.split(r"[={]", s, 1)[0].strip()
    m = re.search(r"(\w+)\s*(\[[^\]]*\])?$", decl)
    if m and m.group(1) not in ("public", "private", "protected"):
        return [Member(m.group(1), "data", _squash(decl))]
    return []


class HeaderParser:
    def __init__(self, header, text):
        self.header = header
        self.text = clean(text)
        self.classes = []

    def parse(self):
        self._scope(0, len(self.text), [], None)
        return self.classes

    def _scope(self, start, end, ns, cls):
        """Walks declarations in text[start:end]; cls is the ClassInfo whose
        body this is (None at namespace scope)."""
        text = self.text
        access = "public" if cls is None else cls._default_access
        head_start = i = start
        skip_to_semicolon = False
        while i < end:
            c = text[i]
            if c == ";":
                if not skip_to_semicolon and cls is not None:
                    access = self._statement(cls, text[head_start:i], access)
                skip_to_semicolon = False
                i += 1
                head_start = i
            elif c == "{":
                head = text[head_start:i]
                close = _match_brace(text, i)
                if _open_angles(head) > 0:
                    i = close  # a braced expression inside template arguments
                    continue
                head, access = self._take_access(head, access)
                ns_match = _NAMESPACE_HEAD.match(head)
                class_match = _CLASS_HEAD.search(_strip_template_prefix(head))
                if ns_match and cls is None:
                    self._scope(i + 1, close - 1, ns + [ns_match.group(1)], None)
                    head_start = close
                    skip_to_semicolon = False
                elif (class_match and not re.match(r"\s*enum\b", head)
                      and "(" not in _strip_template_prefix(head)[: class_match.start(1)]):
                    name = class_match.group(2)
                    specialised = re.search(r"\b" + name + r"\s*<", head)
                    if cls is None and not specialised:
                        info = ClassInfo(name, "::".join(n for n in ns if n), self.header)
                        info._default_access = "private" if class_match.group(1) == "class" else "public"
                        info.bases = self._bases(class_match.group(4) or "",
                                                 class_match.group(1) != "class")
                        self.classes.append(info)
                        self._scope(i + 1, close - 1, ns, info)
                    elif cls is not None and access == "public":
                        cls.members.append(Member(name, "type", class_match.group(1) + " " + name))
                    head_start = close
                    skip_to_semicolon = True
                elif re.match(r"\s*enum\b", head):
                    em = _ENUM_HEAD.match(head)
                    if cls is not None and access == "public" and em:
                        cls.members.append(Member(em.group(1), "type", "enum " + em.group(1)))
                    head_start = close
                    skip_to_semicolon = True
                elif cls is not None and "(" in head and not re.search(r"(?<!:):(?!:)[^()]*\w\s*$", head):
                    # A member function defined in the class.
                    if not skip_to_semicolon:
                        access = self._statement(cls, head, access)
                    head_start = close
                    skip_to_semicolon = False
                elif cls is not None and "(" in head:
                    # A brace initializer in a constructor's initializer list.
                    pass
                elif cls is None:
                    head_start = close  # a function body, extern block, ...
                    skip_to_semicolon = False
                # else: a member's brace initializer; the statement goes on.
                i = close
            else:
                i += 1

    @staticmethod
    def _take_access(head, access):
        while True:
            m = _ACCESS.match(head)
            if not m:
                return head, access
            access = m.group(1)
            head = head[m.end() :]

    def _statement(self, cls, stmt, access):
        stmt, access = self._take_access(stmt, access)
        if access == "public":
            cls.members.extend(_parse_declaration(stmt, cls.name))
        return access

    @staticmethod
    def _bases(clause, public_by_default):
        bases = []
        for part in _split_top(clause):
            part = part.strip()
            if not part:
                continue
            words = part.split()
            access = [w for w in words[:2] if w in ("public", "private", "protected")]
            if access != ["public"] and not (not access and public_by_default):
                continue
            name = re.sub(r"<.*", "", " ".join(w for w in words if w not in ("public", "virtual")))
            bases.append(name.split("::")[-1].strip())
        return bases


def parse_header(header, text):
    return HeaderParser(header, text).parse()
