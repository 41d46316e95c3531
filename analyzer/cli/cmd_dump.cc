// `nft-coexist dump [INPUT]`: a summary of the loaded model (tables with backend, chain,
// rule and set counts, base chains, host context). Deterministic and free of volatile
// data (no handles, counters or dates), so two dumps of the same ruleset compare equal.
#include <arpa/inet.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <tuple>
#include <vector>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "input.h"

namespace nftc::cli {
namespace {

std::string AddrText(bool v6, u128 a) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (v6) {
    unsigned char b[16];
    for (int i = 15; i >= 0; --i, a >>= 8) b[i] = static_cast<unsigned char>(a & 0xff);
    inet_ntop(AF_INET6, b, buf, sizeof buf);
  } else {
    in_addr in{htonl(static_cast<uint32_t>(a))};
    inet_ntop(AF_INET, &in, buf, sizeof buf);
  }
  return buf;
}

// Jumps and gotos (also inside verdict maps) and how many name a chain that is not in the
// same table: a consistent ruleset has none, a half-read dump would.
struct JumpCount {
  size_t total = 0, dangling = 0;
  void Check(const Table& t, const Verdict& v) {
    if (v.kind != VerdictKind::kJump && v.kind != VerdictKind::kGoto) return;
    ++total;
    if (!t.FindChain(v.chain)) ++dangling;
  }
  void Walk(const Table& t, const Expr& e) {
    if (e.kind == ExprKind::kVerdict) Check(t, e.verdict);
    for (const Expr& k : e.kids) Walk(t, k);
  }
};

JumpCount CountJumps(const Ruleset& rs) {
  JumpCount j;
  for (const Table& t : rs.tables) {
    for (const Chain& c : t.chains) {
      for (const Rule& r : c.rules) {
        for (const Stmt& s : r.stmts) {
          j.Check(t, s.verdict);
          for (const Expr& e : s.e) j.Walk(t, e);
        }
      }
    }
    for (const Set& s : t.sets) {
      for (const SetElem& el : s.elems) j.Check(t, el.verdict);
    }
  }
  return j;
}

void DumpTables(const Ruleset& rs, std::ostream& o) {
  size_t legacy = 0;
  for (const Table& t : rs.tables) legacy += t.backend == Backend::kIptablesLegacy;
  o << "tables: " << rs.tables.size() << " (legacy " << legacy << ")  chains: " << rs.ChainCount()
    << "  rules: " << rs.RuleCount() << "\n";
  // Sorted, so that the order in which tables were read (legacy tables come in the order of
  // /proc/net/*_tables_names or of the save file) does not matter.
  std::vector<const Table*> sorted;
  for (const Table& t : rs.tables) sorted.push_back(&t);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Table* a, const Table* b) {
    return std::tie(a->backend, a->family, a->name) < std::tie(b->backend, b->family, b->name);
  });
  for (const Table* tp : sorted) {
    const Table& t = *tp;
    size_t rules = 0, elems = 0;
    for (const Chain& c : t.chains) rules += c.rules.size();
    for (const Set& s : t.sets) elems += s.elems.size();
    o << "table " << ToString(t.family) << " " << t.name << " [" << ToString(t.backend) << "]"
      << " chains " << t.chains.size() << " rules " << rules << " sets " << t.sets.size()
      << " elements " << elems << " flowtables " << t.flowtables.size() << "\n";
    for (const Chain& c : t.chains) {
      o << "  chain " << c.name << ":";
      if (c.base) {
        o << " " << ToString(c.type) << " hook " << ToString(c.hook) << " prio " << c.prio << " policy "
          << (c.policy == Policy::kDrop ? "drop" : "accept");
        for (const std::string& d : c.devices) o << " device " << d;
      }
      o << " rules " << c.rules.size() << "\n";
    }
    for (const Set& s : t.sets) {
      o << "  " << (s.is_map ? "map " : "set ") << s.name << ": elements " << s.elems.size() << "\n";
    }
  }
  JumpCount jumps = CountJumps(rs);
  o << "jumps: " << jumps.total << " dangling " << jumps.dangling << "\n";
  std::map<int, size_t> notes;
  for (const LoadNote& n : rs.notes) ++notes[static_cast<int>(n.kind)];
  static const char* kNoteKind[] = {"unknown-expr", "xt-no-args", "merge-mismatch", "unsupported", "other"};
  o << "notes: " << rs.notes.size();
  for (const auto& [k, n] : notes) o << " " << kNoteKind[k] << "=" << n;
  o << "\n";
}

void DumpHost(const HostContext& h, std::ostream& o) {
  o << "host:\n";
  o << "  sysctl:" << (h.have_sysctl ? "" : " (not captured)") << "\n";
  for (const auto& [k, v] : h.sysctl) o << "    " << k << "=" << v << "\n";
  o << "  interfaces:" << (h.have_interfaces ? "" : " (not captured)") << "\n";
  for (const Interface& i : h.interfaces) {
    o << "    " << i.name << " " << i.state;
    if (!i.master.empty()) o << " master " << i.master;
    for (const HostAddr& a : i.addrs) o << " " << AddrText(a.v6, a.addr) << "/" << int(a.plen);
    o << "\n";
  }
  o << "  routes:" << (h.have_routes ? "" : " (not captured)") << "\n";
  for (const Route& r : h.routes) {
    o << "    " << (r.v6 ? "ip6 " : "ip ") << r.type << " " << AddrText(r.v6, r.dst) << "/" << int(r.plen);
    if (r.via) o << " via " << AddrText(r.v6, *r.via);
    if (!r.dev.empty()) o << " dev " << r.dev;
    o << "\n";
  }
  o << "  legacy tables:";
  if (h.legacy_table_names.empty()) o << " (not captured)";
  for (const auto& [fam, names] : h.legacy_table_names) {
    o << " " << fam << "{";
    for (size_t i = 0; i < names.size(); ++i) o << (i ? "," : "") << names[i];
    o << "}";
  }
  o << "\n  files:";
  for (const auto& [name, content] : h.files) o << " " << name;
  o << "\n";
}

}  // namespace

void AddDumpCommand(CLI::App& app, RunFn& run) {
  auto* sub = app.add_subcommand("dump", "Print a summary of the loaded model (for debugging and tests)");
  struct Opts {
    InputOptions in;
    bool no_host = false;
  };
  auto opts = std::make_shared<Opts>();  // kept alive by the callbacks
  AddInputOptions(sub, opts->in);
  sub->add_flag("--no-host", opts->no_host, "omit the host context (sysctls, interfaces, routes, files)");
  sub->callback([&run, opts] {
    run = [opts] {
      const InputOptions& in = opts->in;
      Ruleset rs = LoadInput(InputSpec{in.inputs.empty() ? "" : in.inputs[0], in.netns});
      std::ostringstream o;
      o << "input: " << rs.origin << "\n";
      o << "nft: " << (rs.nft_version.empty() ? "-" : rs.nft_version) << " json schema "
        << rs.json_schema_version << "\n";
      DumpTables(rs, o);
      if (!opts->no_host) DumpHost(rs.host, o);
      std::cout << o.str();
      return 0;
    };
  });
}

}  // namespace nftc::cli
