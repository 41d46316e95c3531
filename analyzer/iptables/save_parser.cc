#include "iptables/save_parser.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "model/text.h"
#include "nftc/error.h"

namespace nftc::ipt {

namespace {

/// Builtin chains of the x_tables tables: iptables-restore accepts rules for them even when
/// the ":CHAIN" line is missing.
bool IsBuiltinOf(std::string_view table, std::string_view chain, bool arp) {
  if (arp) return table == "filter" && (chain == "INPUT" || chain == "OUTPUT" || chain == "FORWARD");
  if (table == "filter" || table == "security")
    return chain == "INPUT" || chain == "FORWARD" || chain == "OUTPUT";
  if (table == "nat")
    return chain == "PREROUTING" || chain == "INPUT" || chain == "OUTPUT" || chain == "POSTROUTING";
  if (table == "raw") return chain == "PREROUTING" || chain == "OUTPUT";
  if (table == "mangle")
    return chain == "PREROUTING" || chain == "INPUT" || chain == "FORWARD" || chain == "OUTPUT" ||
           chain == "POSTROUTING";
  return false;
}

bool ParseU64(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;  // 20 digits above 2^64-1 would wrap
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

/// "[12:884]" -> {12, 884}.
std::optional<std::pair<uint64_t, uint64_t>> ParseCounters(std::string_view s) {
  if (s.size() < 5 || s.front() != '[' || s.back() != ']') return std::nullopt;
  s = s.substr(1, s.size() - 2);
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  uint64_t p = 0, b = 0;
  if (!ParseU64(s.substr(0, colon), &p) || !ParseU64(s.substr(colon + 1), &b)) return std::nullopt;
  return std::make_pair(p, b);
}

/// Normalises a generic option to its letter, or 0 if the token is none.
char GenericOpt(std::string_view t) {
  if (t == "-s" || t == "--source" || t == "--src") return 's';
  if (t == "-d" || t == "--destination" || t == "--dst") return 'd';
  if (t == "-i" || t == "--in-interface") return 'i';
  if (t == "-o" || t == "--out-interface") return 'o';
  if (t == "-p" || t == "--protocol") return 'p';
  if (t == "-f" || t == "--fragment") return 'f';
  return 0;
}

/// Name of the module "-p PROTO --opt" loads implicitly, or "" if none.
std::string ImplicitModule(const std::string& proto) {
  if (proto == "tcp" || proto == "udp" || proto == "sctp" || proto == "dccp" || proto == "udplite" ||
      proto == "icmp" || proto == "esp" || proto == "ah" || proto == "mh")
    return proto;
  if (proto == "ipv6-icmp" || proto == "icmpv6" || proto == "icmp6") return "icmp6";
  if (proto == "6") return "tcp";
  if (proto == "17") return "udp";
  return "";
}

/// Splits the tokens of one rule (after "-A CHAIN") into generic matches, modules and target.
void SplitRule(SaveRule& r) {
  enum class Into { kNone, kModule, kTarget } into = Into::kNone;
  bool neg = false;
  const auto& a = r.argv;
  auto push_neg = [&](std::vector<std::string>& v) {
    if (neg) v.push_back("!");
    neg = false;
  };
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string& t = a[i];
    if (t == "!") {
      neg = true;
      continue;
    }
    if (char g = GenericOpt(t)) {
      GenericMatch m;
      m.opt = g;
      m.neg = neg;
      neg = false;
      if (g != 'f') {
        if (i + 1 < a.size() && a[i + 1] == "!") {  // old syntax: -s ! 1.2.3.4
          m.neg = true;
          ++i;
        }
        if (i + 1 >= a.size())
          throw InputError("option " + t + " needs a value", r.src);
        m.value = a[++i];
      }
      r.generic.push_back(std::move(m));
      continue;
    }
    if (t == "-m" || t == "--match") {
      if (i + 1 >= a.size()) throw InputError("option -m needs a module name", r.src);
      r.modules.push_back(Module{a[++i], {}, false});
      into = Into::kModule;
      neg = false;
      continue;
    }
    if (t == "-j" || t == "--jump" || t == "-g" || t == "--goto") {
      if (i + 1 >= a.size()) throw InputError("option " + t + " needs a target", r.src);
      if (r.target.kind != Target::Kind::kNone) throw InputError("rule has two targets", r.src);
      r.target.kind = (t == "-g" || t == "--goto") ? Target::Kind::kGoto : Target::Kind::kJump;
      r.target.name = a[++i];
      into = Into::kTarget;
      neg = false;
      continue;
    }
    if (t == "-c" || t == "--set-counters") {
      uint64_t p = 0, b = 0;
      if (i + 2 >= a.size() || !ParseU64(a[i + 1], &p) || !ParseU64(a[i + 2], &b))
        throw InputError("option -c needs two numbers", r.src);
      r.counters = std::make_pair(p, b);
      i += 2;
      continue;
    }
    if (t == "-4" || t == "--ipv4" || t == "-6" || t == "--ipv6") continue;
    if (into == Into::kTarget) {
      push_neg(r.target.args);
      r.target.args.push_back(t);
    } else if (into == Into::kModule) {
      push_neg(r.modules.back().args);
      r.modules.back().args.push_back(t);
    } else if (std::string m = ImplicitModule(r.Protocol()); !m.empty() && t.rfind("--", 0) == 0) {
      r.modules.push_back(Module{m, {}, true});
      into = Into::kModule;
      push_neg(r.modules.back().args);
      r.modules.back().args.push_back(t);
    } else {
      if (neg) r.stray.push_back("!");
      neg = false;
      r.stray.push_back(t);
    }
  }
  if (neg) r.stray.push_back("!");
}

}  // namespace

std::string SaveRule::Protocol() const {
  for (const auto& g : generic) {
    if (g.opt != 'p' || g.neg) continue;
    std::string p = g.value;
    for (char& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return p;
  }
  return "";
}

const SaveChain* SaveTable::FindChain(std::string_view n) const {
  for (const auto& c : chains)
    if (c.name == n) return &c;
  return nullptr;
}
SaveChain* SaveTable::FindChain(std::string_view n) {
  for (auto& c : chains)
    if (c.name == n) return &c;
  return nullptr;
}
size_t SaveTable::RuleCount() const {
  size_t n = 0;
  for (const auto& c : chains) n += c.rules.size();
  return n;
}
const SaveTable* ParsedSave::FindTable(std::string_view n) const {
  for (const auto& t : tables)
    if (t.name == n) return &t;
  return nullptr;
}
size_t ParsedSave::RuleCount() const {
  size_t n = 0;
  for (const auto& t : tables) n += t.RuleCount();
  return n;
}

std::vector<std::string> Tokenize(std::string_view line, const SourceRef& where) {
  std::vector<std::string> out;
  std::string cur;
  bool have = false;  // a token is open (also an empty quoted one)
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < line.size() &&
                 (line[i + 1] == '"' || line[i + 1] == '\\')) {
        cur += line[++i];
      } else {
        cur += c;
      }
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (have) out.push_back(std::move(cur));
      cur.clear();
      have = false;
      continue;
    }
    have = true;
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\\' && i + 1 < line.size()) {
      cur += line[++i];
    } else {
      cur += c;
    }
  }
  if (quote) throw InputError("unterminated quote", where);
  if (have) out.push_back(std::move(cur));
  return out;
}

Family SaveFamily(const ParsedSave& save) {
  if (save.ip6) return Family::kIp6;
  if (save.arp) return Family::kArp;
  std::string_view f = save.file;
  size_t slash = f.rfind('/');
  if (slash != std::string_view::npos) f.remove_prefix(slash + 1);
  if (f.rfind("ip6", 0) == 0) return Family::kIp6;
  if (f.rfind("arp", 0) == 0) return Family::kArp;
  return Family::kIp;
}

ParsedSave ParseSave(std::string_view text, const std::string& file) {
  ParsedSave out;
  out.file = file;
  SaveTable* table = nullptr;  // open table (between *name and COMMIT)
  int64_t lineno = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineno;
    SourceRef where{file, -1, lineno};
    for (unsigned char c : raw)
      if (c < 0x20 && c != '\t' && c != '\r')
        throw InputError("binary data in iptables-save text (byte 0x" +
                             std::string(1, "0123456789abcdef"[c >> 4]) +
                             std::string(1, "0123456789abcdef"[c & 15]) + ")",
                         where);
    std::string_view line = Trim(raw);
    if (line.empty()) continue;
    if (line[0] == '#') {
      // "# Generated by iptables-nft-save v1.8.9 (nf_tables) on ..."
      constexpr std::string_view kGen = "# Generated by ";
      if (out.generator.empty() && line.rfind(kGen, 0) == 0) {
        std::string_view g = line.substr(kGen.size());
        size_t on = g.find(" on ");
        out.generator = std::string(on == std::string_view::npos ? g : g.substr(0, on));
        out.nf_tables = out.generator.find("(nf_tables)") != std::string::npos;
        out.ip6 = out.generator.rfind("ip6tables", 0) == 0;
        out.arp = out.generator.rfind("arptables", 0) == 0;
      }
      continue;
    }
    if (line[0] == '*') {
      if (table) throw InputError("table '" + table->name + "' has no COMMIT before '" + std::string(line) + "'", where);
      std::string name(Trim(line.substr(1)));
      if (name.empty() || name.find_first_of(" \t") != std::string::npos)
        throw InputError("bad table line '" + std::string(line) + "'", where);
      out.tables.push_back(SaveTable{name, {}, where});
      table = &out.tables.back();
      continue;
    }
    if (line == "COMMIT") {
      if (!table) throw InputError("COMMIT outside a table", where);
      table = nullptr;
      continue;
    }
    if (line[0] == ':') {
      if (!table) throw InputError("chain declared outside a table (no '*table' line before it)", where);
      auto tok = Tokenize(line.substr(1), where);
      if (tok.size() < 2 || tok.size() > 3)
        throw InputError("bad chain line '" + std::string(line) + "' (expected ':NAME POLICY [p:b]')", where);
      SaveChain c;
      c.name = tok[0];
      c.policy = tok[1];
      c.src = where;
      if (c.policy == "ACCEPT" || c.policy == "DROP") c.builtin = true;
      else if (c.policy != "-") throw InputError("unknown chain policy '" + c.policy + "'", where);
      if (tok.size() == 3) {
        c.counters = ParseCounters(tok[2]);
        if (!c.counters) throw InputError("bad counters '" + tok[2] + "'", where);
      }
      if (table->FindChain(c.name)) throw InputError("chain '" + c.name + "' declared twice", where);
      table->chains.push_back(std::move(c));
      continue;
    }
    // A rule or command, optionally preceded by "[p:b]" counters (iptables-save -c).
    std::optional<std::pair<uint64_t, uint64_t>> counters;
    std::string_view body = line;
    if (line[0] == '[') {
      size_t close = line.find(']');
      if (close == std::string_view::npos || !(counters = ParseCounters(line.substr(0, close + 1))))
        throw InputError("bad counters in '" + std::string(line) + "'", where);
      body = Trim(line.substr(close + 1));
    }
    if (body.empty() || body[0] != '-')
      throw InputError("unexpected line '" + std::string(line.substr(0, 60)) + "' (not iptables-save syntax)", where);
    if (!table) throw InputError("rule outside a table (no '*table' line before it)", where);
    auto tok = Tokenize(body, where);
    const std::string& cmd = tok[0];
    bool append = cmd == "-A" || cmd == "--append";
    bool insert = cmd == "-I" || cmd == "--insert";
    bool newchain = cmd == "-N" || cmd == "--new-chain";
    if (!append && !insert && !newchain)
      throw InputError("unsupported command '" + cmd + "' in save text (expected -A)", where);
    if (tok.size() < 2) throw InputError("command " + cmd + " needs a chain name", where);
    const std::string& cname = tok[1];
    SaveChain* chain = table->FindChain(cname);
    if (newchain) {
      if (chain) throw InputError("chain '" + cname + "' declared twice", where);
      table->chains.push_back(SaveChain{cname, false, "-", std::nullopt, {}, where});
      continue;
    }
    if (!chain) {
      if (!IsBuiltinOf(table->name, cname, out.arp))
        throw InputError("rule for chain '" + cname + "' that was not declared in table '" + table->name + "'", where);
      table->chains.push_back(SaveChain{cname, true, "ACCEPT", std::nullopt, {}, where});
      chain = &table->chains.back();
    }
    SaveRule r;
    r.chain = cname;
    r.text = std::string(body);
    r.src = where;
    r.counters = counters;
    size_t first = 2;
    size_t at = chain->rules.size();  // insert position
    if (insert && tok.size() > 2 && !tok[2].empty() && tok[2][0] != '-' && tok[2] != "!") {
      uint64_t n = 0;
      if (!ParseU64(tok[2], &n) || n == 0) throw InputError("bad rule number '" + tok[2] + "'", where);
      at = std::min<size_t>(n - 1, chain->rules.size());
      first = 3;
    } else if (insert) {
      at = 0;
    }
    r.argv.assign(tok.begin() + static_cast<std::ptrdiff_t>(first), tok.end());
    SplitRule(r);
    chain->rules.insert(chain->rules.begin() + static_cast<std::ptrdiff_t>(at), std::move(r));
  }
  if (table)
    throw InputError("table '" + table->name + "' has no COMMIT (truncated input?)", SourceRef{file, -1, lineno});
  return out;
}

ParsedSave ParseSaveFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError("cannot read iptables-save file", SourceRef{path, -1, -1});
  std::stringstream ss;
  ss << f.rdbuf();
  return ParseSave(ss.str(), path);
}

}  // namespace nftc::ipt
