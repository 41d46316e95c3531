// Shared helpers of the packet-path rules; see path_probes.h.
#include "path_probes.h"

#include <set>

#include "lint/assumed_host.h"

namespace nftc::probes {

namespace {

bool IsDnat(const Rule& r) {
  for (const Stmt& s : r.stmts)
    if (s.kind == StmtKind::kNat && s.sub == static_cast<uint8_t>(NatKind::kDnat)) return true;
  return false;
}

// Ports a `dport` match accepts: a value or an anonymous set of values.
void PortsOf(const Expr& rhs, std::vector<uint16_t>& out) {
  if (rhs.kind == ExprKind::kValue && rhs.value.kind == Value::Kind::kInt) {
    out.push_back(static_cast<uint16_t>(rhs.value.num));
  } else if (rhs.kind == ExprKind::kSet) {
    for (const Expr& k : rhs.kids) PortsOf(k, out);
  }
}

}  // namespace

std::vector<DnatPort> FindDnatPorts(const Ruleset& rs) {
  std::vector<DnatPort> out;
  for (const Table& t : rs.tables) {
    if (t.family != Family::kIp && t.family != Family::kInet) continue;
    for (const Chain& c : t.chains) {
      for (const Rule& r : c.rules) {
        if (!IsDnat(r)) continue;
        std::vector<uint16_t> ports;
        uint8_t proto = 6;
        for (const Stmt& s : r.stmts) {
          if (s.kind != StmtKind::kMatch || s.e.size() != 2) continue;
          if (s.op != MatchOp::kImplicit && s.op != MatchOp::kEq && s.op != MatchOp::kIn) continue;
          const Expr& l = s.e[0];
          if (l.kind == ExprKind::kPayload) {
            Field f = l.field();
            if (f == Field::kTcpDport || f == Field::kUdpDport || f == Field::kThDport) {
              if (f == Field::kUdpDport) proto = 17;
              PortsOf(s.e[1], ports);
            }
          } else if (l.kind == ExprKind::kMeta && l.meta() == MetaKey::kL4proto &&
                     s.e[1].kind == ExprKind::kValue) {
            proto = static_cast<uint8_t>(s.e[1].value.num);
          }
        }
        for (uint16_t p : ports) out.push_back(DnatPort{&t, &c, &r, proto, p});
      }
    }
  }
  // Ports that reach a DNAT rule through a set or map (kube-proxy's service-nodeports,
  // `l4proto . th dport vmap`): every inet_service key of a table that DNATs.
  std::set<std::pair<uint8_t, uint16_t>> have;
  for (const DnatPort& d : out) have.insert({d.proto, d.port});
  std::set<const Table*> dnat_tables;
  for (const DnatPort& d : out) dnat_tables.insert(d.table);
  for (const Table& t : rs.tables) {
    bool dnats = false;
    for (const Chain& c : t.chains)
      for (const Rule& r : c.rules) dnats = dnats || IsDnat(r);
    if (!dnats) continue;
    for (const Set& st : t.sets) {
      int svc = -1, l4 = -1;
      for (size_t k = 0; k < st.key.size(); ++k) {
        if (st.key[k] == DataType::kInetService && svc < 0) svc = static_cast<int>(k);
        if (st.key[k] == DataType::kInetProto && l4 < 0) l4 = static_cast<int>(k);
      }
      if (svc < 0) continue;
      for (const SetElem& e : st.elems) {
        if (e.lo.size() <= static_cast<size_t>(svc)) continue;
        uint8_t proto = l4 >= 0 && e.lo.size() > static_cast<size_t>(l4)
                            ? static_cast<uint8_t>(e.lo[l4].num) : 6;
        if (proto != 6 && proto != 17) continue;
        uint16_t port = static_cast<uint16_t>(e.lo[svc].num);
        if (have.insert({proto, port}).second) out.push_back(DnatPort{&t, nullptr, nullptr, proto, port});
      }
    }
  }
  return out;
}

bool IsGuestSideInterface(const std::string& n) {
  static const char* kPrefixes[] = {"docker", "br-",   "virbr", "veth",   "vnet",  "tap",
                                    "cni",    "podman", "incusbr", "lxdbr", "flannel",
                                    "kube",   "ctr-",  "lo"};
  for (const char* p : kPrefixes)
    if (n.rfind(p, 0) == 0) return true;
  return n.find("-peer") != std::string::npos;
}

std::vector<OutsideIf> OutsideInterfaces(const Ruleset& rs) {
  std::vector<OutsideIf> out;
  for (const Interface& i : rs.host.interfaces) {
    if (IsGuestSideInterface(i.name) || !i.master.empty()) continue;
    OutsideIf o{i.name, std::nullopt};
    for (const HostAddr& a : i.addrs)
      if (!a.v6) {
        o.addr4 = a.addr;
        break;
      }
    if (!o.addr4) continue;  // no IPv4 address: nothing is published on it
    out.push_back(o);
  }
  // No interfaces captured: the stand-in outside interface the simulator is given too
  // (RuleContext::SimOpts, lint/assumed_host.h).
  if (out.empty() && !rs.host.have_interfaces) out.push_back(OutsideIf{kAssumedOutsideIf, kAssumedOutsideAddr, true});
  return out;
}

std::string AssumedNote(const OutsideIf& i) {
  if (!i.assumed) return "";
  return " (" + i.name + " and " + (i.addr4 ? FormatIpAddress(*i.addr4, false) : std::string("its address")) +
         " assumed: the input has no interfaces)";
}

PacketQuery InboundQuery(const OutsideIf& i, uint8_t proto, uint16_t port, std::optional<u128> src) {
  PacketQuery q;
  q.iif = i.name;
  q.ipv6 = false;
  q.dst = i.addr4;
  q.src = src;
  q.proto = proto;
  q.sport = 40000;
  q.dport = port;
  q.ct_state = kCtNew;
  return q;
}

const TraceStep* DnatStep(const Outcome& o) {
  for (const TraceStep& s : o.steps)
    if (s.rule_ref && IsDnat(*s.rule_ref)) return &s;
  return nullptr;
}

const Outcome* ForwardedAfterDnat(const TraceResult& r) {
  // Only a definite claim: every path of the packet is accepted (unknown matches, e.g. xt
  // expressions without arguments, fork the result and may hide a drop).
  if (r.verdict != "accept") return nullptr;
  for (const Outcome& o : r.outcomes)
    if (o.verdict == "accept" && !o.dnat.empty() && !o.delivered.empty() && o.delivered != "host")
      return &o;
  return nullptr;
}

std::string ProtoName(uint8_t proto) { return proto == 17 ? "udp" : proto == 6 ? "tcp" : std::to_string(proto); }

bool IsCatchAll(const Rule& r) {
  for (const Stmt& s : r.stmts)
    if (s.kind == StmtKind::kMatch || s.kind == StmtKind::kVmap || s.kind == StmtKind::kUnknown ||
        (s.kind == StmtKind::kXt && s.xt && s.xt->type == XtType::kMatch))
      return false;
  return true;
}

// A drop that stands for "everything else" of the base chain: its policy, or a rule without
// matches reached from the base chain through jumps without matches only. (A drop at the end
// of a chain that a vmap dispatches to, like Docker's "UNPUBLISHED PORT DROP" for docker0,
// decides one destination on purpose and is not counted.)
bool CatchAllDrop(const Outcome& o, const TraceStep& s) {
  if (s.is_policy()) return true;
  if (!s.rule_ref || !IsCatchAll(*s.rule_ref)) return false;
  const TraceStep* cur = &s;
  for (int depth = 0; depth < 16; ++depth) {
    if (cur->chain == cur->base_chain) return true;
    const TraceStep* via = nullptr;
    for (const TraceStep& x : o.steps) {
      if (&x == cur) break;
      if (x.hook == cur->hook && x.table == cur->table && x.base_chain == cur->base_chain &&
          (x.verdict == "jump " + cur->chain || x.verdict == "goto " + cur->chain))
        via = &x;
    }
    if (!via || !via->rule_ref || !IsCatchAll(*via->rule_ref)) return false;
    cur = via;
  }
  return false;
}

}  // namespace nftc::probes
