// The fuzz entry points (see fuzz_entry.h). Built into every fuzz target and into
// nftc_tests (the regression replay).
#include "fuzz/fuzz_entry.h"

#include <cstring>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "iptables/apply.h"
#include "lint/config.h"
#include "lint/engine.h"
#include "load/capture_dir.h"
#include "load/host_context.h"
#include "load/load_json.h"
#include "load/nft_text.h"
#include "load/symbols.h"
#include "model/hash_expr.h"
#include "nftc/error.h"
#include "nftc/hook_graph.h"
#include "nftc/owners.h"
#include "nftc/packet_path.h"
#include "nftc/priority.h"

namespace nftc::fuzz {
namespace {

std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// A property violated: libFuzzer reports the abort as a crash with this message.
[[noreturn]] void Violated(const std::string& what) {
  throw std::logic_error("fuzz property violated: " + what);
}

// Reads fixed-size fields from the front of the input; zeros once it runs out.
class Bytes {
 public:
  Bytes(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  uint8_t U8() { return i_ < n_ ? d_[i_++] : 0; }
  uint16_t U16() { return uint16_t(U8() | (U8() << 8)); }
  uint32_t U32() { return uint32_t(U16()) | (uint32_t(U16()) << 16); }
  u128 U128() {
    u128 v = 0;
    for (int k = 0; k < 16; ++k) v = (v << 8) | U8();
    return v;
  }
  std::string_view Rest() { return {reinterpret_cast<const char*>(d_ + i_), n_ - i_}; }

 private:
  const uint8_t* d_;
  size_t n_;
  size_t i_ = 0;
};

bool HasUnknown(const Expr& e) {
  if (e.kind == ExprKind::kUnknown && !ParseHashExpr(e)) return true;  // numgen/jhash mod N are modelled
  for (const Expr& k : e.kids)
    if (HasUnknown(k)) return true;
  return false;
}

// What the ruleset holds that the tool did not fully understand: load notes, unknown
// expressions or statements, xt extensions without arguments.
bool NotFullyUnderstood(const Ruleset& rs) {
  if (!rs.notes.empty()) return true;
  for (const Table& t : rs.tables)
    for (const Chain& c : t.chains)
      for (const Rule& r : c.rules)
        for (const Stmt& s : r.stmts) {
          if (s.kind == StmtKind::kUnknown) return true;
          if (s.kind == StmtKind::kXt && s.xt && !s.xt->has_args) return true;
          for (const Expr& e : s.e)
            if (HasUnknown(e)) return true;
        }
  return false;
}

// What every loaded ruleset goes through after loading: what `lint` does. Property (no
// silent "clean", issue 8): input the tool did not fully understand gets an NC1xxx finding
// at warning or above, so the default lint never exits 0 on it.
void Analyze(Ruleset& rs) {
  AttributeOwners(rs);
  HookGraph g = HookGraph::Build(rs);
  (void)g.Clashes();
  LintOptions opts;
  LintOutcome out = RunLint(rs, opts);
  if (NotFullyUnderstood(rs)) {
    bool said = false;
    for (const Diagnostic& d : out.findings)
      said = said || (d.id.rfind("NC1", 0) == 0 && d.severity <= Severity::kWarning);
    if (!said) Violated("not fully understood, but no NC1xxx finding at warning or above");
  }
}

}  // namespace

void RunJsonLoader(const uint8_t* data, size_t size) {
  Ruleset rs;
  try {
    LoadNftJson(AsText(data, size), "fuzz.json", rs);
    ClassifyBackends(rs);
  } catch (const InputError&) {
    return;
  }
  Analyze(rs);
}

void RunIptablesSave(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const bool legacy = data[0] & 1;
  static constexpr Family kFams[] = {Family::kIp, Family::kIp6, Family::kArp, Family::kBridge};
  const Family fam = kFams[(data[0] >> 1) & 3];
  Ruleset rs;
  try {
    ipt::ApplySave(rs, AsText(data + 1, size - 1), "fuzz-save.txt",
                   legacy ? ipt::SaveKind::kLegacy : ipt::SaveKind::kNft, fam);
  } catch (const InputError&) {
    return;
  }
  Analyze(rs);
}

void RunPriorityExpr(const uint8_t* data, size_t size) {
  Bytes b(data, size);
  const uint8_t sel = b.U8();
  const Family fam = Family(sel % 6);
  const Hook hook = Hook((sel / 6) % 8);
  const DataType type = DataType(b.U8() % (uint8_t(DataType::kBoolean) + 1));
  const std::string_view text = b.Rest();

  if (auto p = ParsePriority(fam, hook, text)) {
    // What we render must parse back to the same number (nft prints it, nft reads it).
    for (PriorityStyle st : {PriorityStyle::kNft106, PriorityStyle::kNft109}) {
      std::string r = RenderPriority(fam, hook, *p, st);
      auto back = ParsePriority(fam, hook, r);
      if (!back || *back != *p) Violated("priority " + std::to_string(*p) + " renders as '" + r + "'");
    }
  }
  (void)ParseNumber(text);
  bool v6 = false;
  if (auto a = ParseIpAddress(text, &v6)) {
    std::string f = FormatIp(*a, v6);
    bool v6b = false;
    auto back = ParseIpAddress(f, &v6b);
    if (!back || *back != *a || v6b != v6) Violated("address renders as '" + f + "'");
  }
  (void)LookupSymbol(type, text);
  bool ok = false;
  Value v = MakeValue(type, text, &ok);
  (void)FormatValue(v, type);
  (void)FormatValue(MakeValue(type, b.U128()), type);
  (void)ParseDataTypeName(text);
  (void)ScanBoundInterfaces(text);
  (void)ParseAddrPrefix(text);
  (void)ParseSysctlText(text);
  (void)ParseIpBriefAddr(text);
  (void)ParseIpRoutes(text);
  (void)ParseTableNames(text);
  try {
    (void)ParseIpJsonAddr(text, "fuzz-interfaces.json");
  } catch (const InputError&) {
  }
}

void RunConfig(const uint8_t* data, size_t size) {
  std::string_view text = AsText(data, size);
  try {
    LintConfig c = ParseConfig(text, "fuzz.rc");
    (void)c;
  } catch (const InputError&) {
  }
  try {
    (void)ParseRuleList(text, SourceRef{"fuzz"});
  } catch (const InputError&) {
  }
  try {
    (void)ParseFailOn(text);
  } catch (const InputError&) {
  }
}

namespace {

const std::vector<std::unique_ptr<Ruleset>>& SimRulesets() {
  static const auto* rulesets = [] {
    auto* v = new std::vector<std::unique_ptr<Ruleset>>;
    for (const char* c : {"fedora43-seed", "kube-proxy-nft-firewalld", "ufw-real-dockerd-ipt",
                          "nat-tie-netavark-docker29"}) {
      auto rs = std::make_unique<Ruleset>(LoadCaptureDir(std::string(NFTC_SOURCE_DIR) + "/corpora/" + c));
      AttributeOwners(*rs);
      v->push_back(std::move(rs));
    }
    return v;
  }();
  return *rulesets;
}

}  // namespace

void RunSimulate(const uint8_t* data, size_t size) {
  const auto& rulesets = SimRulesets();
  Bytes b(data, size);
  const Ruleset& rs = *rulesets[b.U8() % rulesets.size()];
  const uint32_t present = b.U32();  // which fields are set (bit per field)
  auto has = [&](int bit) { return (present >> bit) & 1; };
  static const char* kIfs[] = {"eth0", "eth1", "lo", "docker0", "virbr0", "br-1234", "veth0", "wlan0",
                               "cni0", "incusbr0", "podman0", "tun0", "", "enp1s0", "kube-ipvs0", "x"};
  PacketQuery q;
  q.local_out = has(0);
  if (has(1)) q.iif = kIfs[b.U8() % 16];
  if (has(2)) q.oif = kIfs[b.U8() % 16];
  if (has(3)) q.ipv6 = has(4);
  const bool v6 = q.ipv6.value_or(false);
  auto addr = [&] {
    // Mostly addresses near the corpora's networks; sometimes anything.
    uint8_t k = b.U8();
    if (v6) return b.U128();
    static const uint32_t kNets[] = {0x0a000000, 0xac110000, 0xc0a87a00, 0x7f000000, 0xc6336400, 0};
    uint32_t base = kNets[k % 6];
    return u128(k & 0x80 ? b.U32() : base | b.U8());
  };
  if (has(5)) q.src = addr();
  if (has(6)) q.dst = addr();
  static constexpr uint8_t kProtos[] = {6, 17, 1, 58, 132};
  if (has(7)) q.proto = has(8) ? b.U8() : kProtos[b.U8() % 5];
  if (has(9)) q.sport = b.U16();
  if (has(10)) q.dport = b.U16();
  if (has(11)) q.icmp_type = b.U8();
  if (has(12)) q.icmp_code = b.U8();
  if (has(13)) q.ct_state.reset();
  else if (has(14)) q.ct_state = uint32_t(1) << (b.U8() % 7);
  if (has(15)) q.mark.reset();
  else if (has(16)) q.mark = b.U32();
  if (has(17)) q.ct_mark.reset();
  else if (has(18)) q.ct_mark = b.U32();
  SimOptions opt;
  opt.max_outcomes = 64;
  opt.include_legacy = !has(19);
  TraceResult r = has(20) ? SimulateHook(rs, Hook(b.U8() % 7), q, opt) : Simulate(rs, q, opt);
  (void)TraceToText(r);
  (void)TraceToJson(r);
  for (const Outcome& o : r.outcomes) {
    for (Hook h : {Hook::kPrerouting, Hook::kInput, Hook::kForward, Hook::kOutput, Hook::kPostrouting})
      (void)ChainVerdicts(o, h), (void)PassedHook(o, h);
  }
  if (has(21)) {
    (void)SimulateForwardPair(rs, kIfs[b.U8() % 16], kIfs[b.U8() % 16], has(22), opt);
  }
}

void RunCaptureFiles(const uint8_t* data, size_t size) {
  // Format: files separated by lines "=== NAME"; the text before the first marker is
  // ruleset.json.
  static const char kMark[] = "\n=== ";
  std::string_view text = AsText(data, size);
  CaptureFiles files;
  std::string name = "ruleset.json";
  for (;;) {
    size_t at = text.find(kMark);
    files[name] = std::string(text.substr(0, at));
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + sizeof kMark - 1);
    size_t nl = text.find('\n');
    name = std::string(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  Ruleset rs;
  try {
    LoadCaptureFiles(files, "fuzz-capture", rs);
  } catch (const InputError&) {
    return;
  }
  Analyze(rs);
}

bool RunTarget(std::string_view name, const uint8_t* data, size_t size) {
  using Fn = void (*)(const uint8_t*, size_t);
  static constexpr Fn kFns[] = {RunJsonLoader, RunIptablesSave, RunPriorityExpr,
                                RunConfig, RunSimulate, RunCaptureFiles};
  for (size_t i = 0; i < std::size(kTargets); ++i) {
    if (name == kTargets[i]) {
      kFns[i](data, size);
      return true;
    }
  }
  return false;
}

}  // namespace nftc::fuzz
