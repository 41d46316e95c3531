#include "load/nft_text.h"

#include <glob.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <map>
#include <set>
#include <stdexcept>

#include "live/netlink.h"
#include "live/netns.h"
#include "live/nft_api.h"
#include "load/load_json.h"
#include "nftc/error.h"

namespace nftc {
namespace {

// A token of nft syntax, as far as the scan needs: words, quoted strings, punctuation.
std::vector<std::string> Tokens(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '#') {  // comment to end of line
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '"') {
      size_t e = s.find('"', i + 1);
      if (e == std::string_view::npos) e = s.size();
      out.emplace_back(s.substr(i + 1, e - i - 1));
      i = e + 1;
      continue;
    }
    if (std::string_view("{},;=").find(c) != std::string_view::npos) {
      out.emplace_back(1, c);
      ++i;
      continue;
    }
    size_t b = i;
    while (i < s.size() && !isspace(static_cast<unsigned char>(s[i])) &&
           std::string_view("{},;=\"#").find(s[i]) == std::string_view::npos) {
      ++i;
    }
    out.emplace_back(s.substr(b, i - b));
  }
  return out;
}

// nft reads what `include` names with the loader's privileges; a character device, FIFO or
// socket there (/dev/zero, /dev/stdin, /dev/tty) would block or never end. Refuse those,
// in the file and in the files it includes (which nft resolves against the including
// file's folder and /etc; globs allowed).
void CheckIncludes(const std::string& text, const std::string& path, int depth, std::set<std::string>& seen) {
  std::vector<std::string> toks = Tokens(text);
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/'));
  for (size_t i = 0; i + 1 < toks.size(); ++i) {
    if (toks[i] != "include") continue;
    const std::string& inc = toks[i + 1];
    std::vector<std::string> patterns;
    if (!inc.empty() && inc[0] == '/') patterns = {inc};
    else patterns = {dir + "/" + inc, "/etc/" + inc};
    for (const std::string& pat : patterns) {
      glob_t g{};
      if (glob(pat.c_str(), GLOB_NOSORT, nullptr, &g) == 0) {
        for (size_t k = 0; k < g.gl_pathc; ++k) {
          std::string m = g.gl_pathv[k];
          struct stat st{};
          if (stat(m.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) continue;  // nft reports these
          if (!S_ISREG(st.st_mode)) {
            globfree(&g);
            throw InputError("include \"" + inc + "\": " + m +
                                 " is not a regular file (refused: reading it could block or never end)",
                             SourceRef{path});
          }
          if (depth < 16 && seen.insert(m).second) {
            std::ifstream f(m, std::ios::binary);
            std::stringstream ss;
            ss << f.rdbuf();
            CheckIncludes(ss.str(), m, depth + 1, seen);
          }
        }
      }
      globfree(&g);
    }
  }
}

bool ValidIfname(const std::string& n) {
  if (n.empty() || n.size() > 15 || n == "." || n == ".." || n == "lo") return false;
  return std::none_of(n.begin(), n.end(), [](char c) {
    return c == '/' || c == ':' || c == '*' || c == '$' || c == '@' || isspace(static_cast<unsigned char>(c)) ||
           static_cast<unsigned char>(c) < 0x20;
  });
}

}  // namespace

std::vector<std::string> ScanBoundInterfaces(std::string_view text) {
  std::vector<std::string> t = Tokens(text);
  std::map<std::string, std::vector<std::string>> defines;
  std::set<std::string> names;
  // Collects one operand: a single value or a { a, b } list; "$var" expands defines.
  auto operand = [&](size_t i, std::vector<std::string>& vals) {
    while (i < t.size() && (t[i] == "!" || t[i] == "=" || t[i] == "eq" || t[i] == "ne")) ++i;  // != == eq ne
    if (i >= t.size()) return;
    if (t[i] == "{") {
      for (++i; i < t.size() && t[i] != "}"; ++i) {
        if (t[i] != ",") vals.push_back(t[i]);
      }
    } else {
      vals.push_back(t[i]);
    }
  };
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == "define" && i + 3 < t.size() && t[i + 2] == "=") {
      std::vector<std::string> v;
      operand(i + 3, v);
      defines[t[i + 1]] = v;
      continue;
    }
    bool bound = t[i] == "iif" || t[i] == "oif" || t[i] == "device" || t[i] == "devices";
    if (!bound) continue;
    // "fib daddr oif" names a result, not an interface; "meta iif" binds like "iif"
    if (i > 0 && (t[i - 1] == "saddr" || t[i - 1] == "daddr" || t[i - 1] == "mark")) continue;
    std::vector<std::string> v;
    operand(i + 1, v);
    for (const std::string& x : v) {
      if (!x.empty() && x[0] == '$') {
        auto it = defines.find(x.substr(1));
        if (it != defines.end()) names.insert(it->second.begin(), it->second.end());
      } else {
        names.insert(x);
      }
    }
  }
  // words that follow iif/oif inside fib expressions ("fib saddr . iif oif missing")
  static const std::set<std::string> kKeywords = {"iif", "oif", "missing", "exists", "type", "oifname",
                                                   "iifname", "lookup", "vmap", "map"};
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (ValidIfname(n) && !kKeywords.count(n)) out.push_back(n);
  }
  return out;
}

std::string NftTextToJson(const std::string& path) {
  std::string text;
  {
    FILE* fp = fopen(path.c_str(), "rb");
    if (!fp) throw InputError("cannot open nft text file", SourceRef{path});
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0 && text.size() < (64u << 20)) text.append(buf, n);
    fclose(fp);
  }
  std::set<std::string> seen = {path};
  CheckIncludes(text, path, 0, seen);
  std::vector<std::string> ifaces = ScanBoundInterfaces(text);
  live::NsTarget fresh;
  fresh.mode = live::NsTarget::Mode::kFresh;
  live::FileMap result;
  try {
    result = live::RunInNamespace(fresh, [&]() -> live::FileMap {
      for (const std::string& name : ifaces) {
        std::string err;
        if (!live::AddPlaceholderInterface(name, &err)) throw std::runtime_error(err);
      }
      live::NftResult r = live::NftRunFile(path);
      if (!r.ok()) {
        std::string msg = r.err;
        while (!msg.empty() && msg.back() == '\n') msg.pop_back();
        throw std::runtime_error("nft could not load this text (in a throwaway namespace):\n" + msg);
      }
      live::NftResult l = live::NftListRuleset(true);
      if (!l.ok()) throw std::runtime_error("listing the loaded text failed: " + l.err);
      return {{"ruleset.json", l.out}};
    });
  } catch (const InputError& e) {
    // the child's failures come back without a location: name the file
    throw InputError(e.what(), SourceRef{path});
  }
  return result["ruleset.json"];
}

void LoadNftTextFile(const std::string& path, Ruleset& out) {
  out.origin = path;
  LoadNftJson(NftTextToJson(path), path, out);
  ClassifyBackends(out);
}

}  // namespace nftc
