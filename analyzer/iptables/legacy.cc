#include "iptables/legacy.h"

#include "iptables/translate.h"

namespace nftc::ipt {

namespace {

// include/uapi/linux/netfilter_ipv4.h enum nf_ip_hook_priorities (netfilter_ipv6.h has the
// same numbers): RAW -300, MANGLE -150, NAT_DST -100, FILTER 0, SECURITY 50, NAT_SRC 100.
constexpr int32_t kPriRaw = -300, kPriMangle = -150, kPriNatDst = -100, kPriFilter = 0,
                  kPriSecurity = 50, kPriNatSrc = 100;

}  // namespace

std::vector<BuiltinChain> LegacyBuiltins(Family family, std::string_view table) {
  using H = Hook;
  using T = ChainType;
  if (family == Family::kArp) {
    if (table == "filter")
      return {{"INPUT", H::kInput, kPriFilter, T::kFilter},
              {"OUTPUT", H::kOutput, kPriFilter, T::kFilter},
              {"FORWARD", H::kForward, kPriFilter, T::kFilter}};
    return {};
  }
  if (family != Family::kIp && family != Family::kIp6) return {};
  if (table == "filter")
    return {{"INPUT", H::kInput, kPriFilter, T::kFilter},
            {"FORWARD", H::kForward, kPriFilter, T::kFilter},
            {"OUTPUT", H::kOutput, kPriFilter, T::kFilter}};
  if (table == "nat")
    return {{"PREROUTING", H::kPrerouting, kPriNatDst, T::kNat},
            {"INPUT", H::kInput, kPriNatSrc, T::kNat},
            {"OUTPUT", H::kOutput, kPriNatDst, T::kNat},
            {"POSTROUTING", H::kPostrouting, kPriNatSrc, T::kNat}};
  if (table == "mangle")
    return {{"PREROUTING", H::kPrerouting, kPriMangle, T::kFilter},
            {"INPUT", H::kInput, kPriMangle, T::kFilter},
            {"FORWARD", H::kForward, kPriMangle, T::kFilter},
            {"OUTPUT", H::kOutput, kPriMangle, T::kRoute},
            {"POSTROUTING", H::kPostrouting, kPriMangle, T::kFilter}};
  if (table == "raw")
    return {{"PREROUTING", H::kPrerouting, kPriRaw, T::kFilter},
            {"OUTPUT", H::kOutput, kPriRaw, T::kFilter}};
  if (table == "security")
    return {{"INPUT", H::kInput, kPriSecurity, T::kFilter},
            {"FORWARD", H::kForward, kPriSecurity, T::kFilter},
            {"OUTPUT", H::kOutput, kPriSecurity, T::kFilter}};
  return {};
}

Table BuildLegacyTable(const SaveTable& st, Family family, const std::string& file,
                       std::vector<LoadNote>* notes) {
  Table t;
  t.family = family;
  t.name = st.name;
  t.backend = Backend::kIptablesLegacy;
  t.src = st.src;
  t.src.file = file;
  auto builtins = LegacyBuiltins(family, st.name);
  uint64_t handle = 0;
  // Base chains first, in the kernel's hook order, whether or not the save text lists them.
  for (const auto& b : builtins) {
    Chain c;
    c.name = std::string(b.name);
    c.handle = ++handle;
    c.base = true;
    c.type = b.type;
    c.hook = b.hook;
    c.prio = b.prio;
    c.src = SourceRef{file, -1, -1};
    if (const SaveChain* sc = st.FindChain(b.name)) {
      c.policy = sc->policy == "DROP" ? Policy::kDrop : Policy::kAccept;
      c.src = sc->src;
    }
    t.chains.push_back(std::move(c));
  }
  for (const auto& sc : st.chains) {
    bool is_builtin = false;
    for (const auto& b : builtins) is_builtin |= b.name == sc.name;
    if (is_builtin) continue;
    if (sc.builtin && notes) {
      LoadNote n;
      n.kind = LoadNote::Kind::kOther;
      n.message = "chain '" + sc.name + "' has a policy but is no builtin chain of legacy table '" + st.name +
                  "'; kept as a regular chain";
      n.where = sc.src;
      n.family = std::string(ToString(family));
      n.table = st.name;
      n.chain = sc.name;
      notes->push_back(std::move(n));
    }
    Chain c;
    c.name = sc.name;
    c.handle = ++handle;
    c.src = sc.src;
    t.chains.push_back(std::move(c));
  }
  for (auto& c : t.chains) {
    const SaveChain* sc = st.FindChain(c.name);
    if (!sc) continue;
    for (size_t i = 0; i < sc->rules.size(); ++i) {
      const SaveRule& sr = sc->rules[i];
      Translation tr = TranslateRule(sr, family, &st);
      Rule r;
      r.handle = i + 1;
      r.position = static_cast<int32_t>(i);
      r.stmts = std::move(tr.stmts);
      r.comment = std::move(tr.comment);
      r.ipt_line = sr.text;
      r.src = sr.src;
      if (tr.partial() && notes) {
        LoadNote n;
        n.kind = LoadNote::Kind::kUnknownExpr;
        n.message = "legacy iptables rule only partly understood: ";
        for (size_t k = 0; k < tr.unknown.size(); ++k) n.message += (k ? "; " : "") + tr.unknown[k];
        n.where = sr.src;
        n.family = std::string(ToString(family));
        n.table = st.name;
        n.chain = c.name;
        n.handle = r.handle;
        notes->push_back(std::move(n));
      }
      c.rules.push_back(std::move(r));
    }
  }
  return t;
}

void AddLegacyTables(Ruleset& rs, const ParsedSave& save, Family family) {
  for (const auto& st : save.tables) {
    if (LegacyBuiltins(family, st.name).empty()) {
      LoadNote n;
      n.kind = LoadNote::Kind::kUnsupported;
      n.message = "legacy table '" + st.name + "' is not an x_tables table this tool knows; skipped";
      n.where = st.src;
      n.family = std::string(ToString(family));
      n.table = st.name;
      rs.notes.push_back(std::move(n));
      continue;
    }
    rs.tables.push_back(BuildLegacyTable(st, family, save.file, &rs.notes));
  }
}

std::optional<Table> EmptyLegacyTable(Family family, std::string_view table, const std::string& file) {
  if (LegacyBuiltins(family, table).empty()) return std::nullopt;
  SaveTable st;
  st.name = std::string(table);
  st.src = SourceRef{file, -1, -1};
  return BuildLegacyTable(st, family, file, nullptr);
}

}  // namespace nftc::ipt
