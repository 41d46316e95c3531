// THE owner pattern table. Facts: /work/shared/docs/generators.md (sections cited per row)
// and the real captures. Adding a program = adding rows here (and, if it is new, a row in
// KnownPrograms). Regexes are re2 and must match the whole name.
#include "nftc/owners.h"

namespace nftc {
namespace {

constexpr uint32_t F(Family f) { return 1u << static_cast<unsigned>(f); }
constexpr uint32_t kAny = 0;
constexpr uint32_t kIp = F(Family::kIp);
constexpr uint32_t kIp6 = F(Family::kIp6);
constexpr uint32_t kInet = F(Family::kInet);
constexpr uint32_t kIpIp6 = kIp | kIp6;
constexpr uint32_t kL3 = kIp | kIp6 | kInet;
constexpr uint32_t kBridge = F(Family::kBridge);
constexpr uint32_t kNetdev = F(Family::kNetdev);

using K = PatternKind;

}  // namespace

const std::vector<ProgramInfo>& KnownPrograms() {
  static const std::vector<ProgramInfo> kPrograms = {
      {"firewalld", "firewalld"},
      {"docker", "Docker"},
      {"libvirt", "libvirt"},
      {"fail2ban", "fail2ban"},
      {"kube-proxy", "kube-proxy"},
      {"netavark", "netavark (podman)"},
      {"incus", "Incus"},
      {"lxd", "LXD"},
      {"crowdsec", "CrowdSec firewall bouncer"},
      {"sshguard", "sshguard"},
      {"networkmanager", "NetworkManager"},
      {"systemd-networkd", "systemd-networkd"},
      {"wg-quick", "wg-quick"},
      {"proxmox", "Proxmox VE firewall"},
      {"tailscale", "Tailscale"},
      {"ufw", "ufw"},
      {owner::kIptablesNft, "iptables-nft"},
      {owner::kIptablesLegacy, "iptables-legacy"},
      {owner::kUnknown, "unknown"},
  };
  return kPrograms;
}

const std::vector<OwnerPattern>& OwnerPatterns() {
  static const std::vector<OwnerPattern> kPatterns = {
      // ---- tables (nftables-native programs own whole tables) ----
      {"firewalld", K::kTable, kL3, "firewalld", 0.99, "table \"firewalld\" (firewalld nftables backend, generators.md §2)"},
      {"firewalld", K::kTable, kInet, "firewalld_policy_drop|firewalld_probe", 0.95, "firewalld transient table (reload/panic/probe, §2)"},
      {"docker", K::kTable, kIpIp6, "docker-bridges", 0.99, "table \"docker-bridges\" (Docker 29 nftables backend, §1)"},
      {"libvirt", K::kTable, kIpIp6, "libvirt_network", 0.99, "table \"libvirt_network\" (libvirt network driver, nftables backend, §3)"},
      {"fail2ban", K::kTable, kAny, "f2b-table", 0.97, "table \"f2b-table\" (fail2ban nftables action, §4)"},
      {"kube-proxy", K::kTable, kIpIp6, "kube-proxy", 0.99, "table \"kube-proxy\" (kube-proxy nftables mode, §5)"},
      {"kube-proxy", K::kTableComment, kAny, "rules for kube-proxy", 0.99, "table comment \"rules for kube-proxy\" (§5)"},
      {"netavark", K::kTable, kInet, "netavark", 0.99, "table \"netavark\" (podman/netavark nftables driver, §6)"},
      {"incus", K::kTable, kInet | kBridge | kNetdev, "incus", 0.98, "table \"incus\" (Incus firewall driver, §7)"},
      {"lxd", K::kTable, kInet | kBridge | kNetdev, "lxd", 0.98, "table \"lxd\" (LXD firewall driver, §7)"},
      {"crowdsec", K::kTable, kIpIp6, "crowdsec6?", 0.95, "table \"crowdsec\"/\"crowdsec6\" (CrowdSec firewall bouncer, §7)"},
      {"sshguard", K::kTable, kIpIp6, "sshguard", 0.95, "table \"sshguard\" (sshguard nft-sets backend, §7)"},
      {"networkmanager", K::kTable, kIp, "nm-shared-.+", 0.95, "table \"nm-shared-<iface>\" (NetworkManager shared mode, §7)"},
      {"systemd-networkd", K::kTable, kIpIp6, "io\\.systemd\\.nat", 0.99, "table \"io.systemd.nat\" (systemd-networkd/nspawn IPMasquerade, §7)"},
      {"wg-quick", K::kTable, kIpIp6, "wg-quick-.+", 0.98, "table \"wg-quick-<iface>\" (wg-quick full-tunnel route, §7)"},
      {"proxmox", K::kTable, kInet | kBridge, "proxmox-firewall(-guests)?", 0.99, "table \"proxmox-firewall\" (Proxmox VE nftables firewall, §7)"},

      // ---- chains in shared tables (iptables-nft / iptables-legacy / unknown) ----
      {"docker", K::kChain, kIpIp6, "DOCKER(-[A-Z0-9-]+)?", 0.95, "chain DOCKER* (Docker iptables backend, §1)"},
      {"libvirt", K::kChain, kIpIp6, "LIBVIRT_(INP|OUT|FWO|FWI|FWX|PRT)", 0.95, "chain LIBVIRT_* (libvirt iptables backend, §3)"},
      {"fail2ban", K::kChain, kIpIp6 | kInet, "f2b-.+", 0.9, "chain f2b-<jail> (fail2ban iptables action, §4)"},
      {"kube-proxy", K::kChain, kIpIp6, "KUBE-.+", 0.95, "chain KUBE-* (kube-proxy iptables mode)"},
      {"netavark", K::kChain, kIpIp6 | kInet, "NETAVARK-.+", 0.95, "chain NETAVARK-* (netavark, §6)"},
      {"netavark", K::kChain, kIpIp6 | kInet, "nv_[0-9a-f]{8}_.+", 0.9, "chain nv_<netid>_<subnet> (netavark, §6)"},
      {"networkmanager", K::kChain, kIpIp6, "nm-sh-(in|fw)-.+", 0.9, "chain nm-sh-* (NetworkManager shared mode, iptables backend, §7)"},
      {"tailscale", K::kChain, kIpIp6, "ts-.+", 0.85, "chain ts-* (Tailscale, §7)"},
      {"ufw", K::kChain, kIp, "ufw-.+", 0.95, "chain ufw-* (ufw, §7)"},
      {"ufw", K::kChain, kIp6, "ufw6-.+", 0.95, "chain ufw6-* (ufw IPv6, §7)"},
      {"proxmox", K::kChain, kIpIp6, "PVEFW-.+", 0.95, "chain PVEFW-* (classic pve-firewall, §7)"},
      {"crowdsec", K::kChain, kIpIp6, "CROWDSEC_CHAIN", 0.9, "chain CROWDSEC_CHAIN (CrowdSec bouncer iptables mode, §7)"},
      {"sshguard", K::kChain, kIpIp6, "sshguard", 0.8, "chain sshguard (sshguard iptables backend, §7)"},
      {"firewalld", K::kChain, kIpIp6, "(INPUT|FORWARD|OUTPUT|PREROUTING|POSTROUTING)_(direct|ZONES|ZONES_SOURCE|POLICIES_pre|POLICIES_post)", 0.9,
       "chain <HOOK>_direct/_ZONES/_POLICIES_* (firewalld iptables backend, §2)"},
      {"firewalld", K::kChain, kIpIp6, "(IN|FWDI|FWDO|FWD|OUT|PRE|POST)_[A-Za-z0-9_.-]+", 0.6, "chain IN_/FWDI_/FWDO_<zone> (firewalld iptables backend, §2)"},

      // ---- sets ----
      {"fail2ban", K::kSet, kAny, "addr6?-set-.+", 0.85, "set addr-set-<jail> (fail2ban, §4)"},
      {"crowdsec", K::kSet, kAny, "crowdsec6?-blacklists.*", 0.9, "set crowdsec-blacklists-* (CrowdSec, §7)"},

      // ---- rule comments ----
      {"wg-quick", K::kRuleComment, kAny, "wg-quick\\(8\\) rule for .*", 0.95, "comment \"wg-quick(8) rule for <iface>\" (§7)"},
      {"networkmanager", K::kRuleComment, kAny, "nm-shared-.+", 0.9, "comment \"nm-shared-<iface>\" (NetworkManager iptables backend, §7)"},
      {"kube-proxy", K::kRuleComment, kAny, "(kubernetes|kube-proxy)\\b.*", 0.8, "comment naming kubernetes (kube-proxy iptables mode)"},
      {"docker", K::kRuleComment, kAny, "DOCKER-.*", 0.7, "comment DOCKER-* (Docker)"},

      // ---- interface names a rule matches (weak: a name proves little on its own) ----
      {"docker", K::kRuleIface, kAny, "docker0|br-[0-9a-f]{12}", 0.7, "rule matches Docker bridge docker0/br-<id>"},
      {"libvirt", K::kRuleIface, kAny, "virbr[0-9]+", 0.7, "rule matches libvirt bridge virbrN"},
      {"netavark", K::kRuleIface, kAny, "(cni-)?podman[0-9]+", 0.6, "rule matches podman bridge podmanN"},
      {"incus", K::kRuleIface, kAny, "incusbr[0-9]+", 0.6, "rule matches Incus bridge incusbrN"},
      {"lxd", K::kRuleIface, kAny, "lxdbr[0-9]+", 0.6, "rule matches LXD bridge lxdbrN"},
      {"tailscale", K::kRuleIface, kAny, "tailscale[0-9]*", 0.7, "rule matches tailscale0"},

      // ---- address prefixes a rule matches (defaults of the programs) ----
      {"docker", K::kRuleAddr, kAny, "172\\.17\\.0\\.0/16", 0.65, "rule matches Docker's default subnet 172.17.0.0/16"},
      {"libvirt", K::kRuleAddr, kAny, "192\\.168\\.122\\.0/24", 0.6, "rule matches libvirt's default subnet 192.168.122.0/24"},
      {"docker", K::kRuleAddr, kAny, "172\\.17\\.[0-9]+\\.[0-9]+/(1[6-9]|2[0-9]|3[0-2])", 0.6, "rule matches an address inside Docker's default subnet 172.17.0.0/16"},
      {"libvirt", K::kRuleAddr, kAny, "192\\.168\\.122\\.[0-9]+/(2[4-9]|3[0-2])", 0.55, "rule matches an address inside libvirt's default subnet 192.168.122.0/24"},
  };
  return kPatterns;
}

std::string_view ToString(PatternKind k) {
  switch (k) {
    case PatternKind::kTable: return "table";
    case PatternKind::kTableComment: return "table-comment";
    case PatternKind::kChain: return "chain";
    case PatternKind::kSet: return "set";
    case PatternKind::kRuleComment: return "rule-comment";
    case PatternKind::kRuleIface: return "rule-iface";
    case PatternKind::kRuleAddr: return "rule-addr";
  }
  return "?";
}

bool IsGenericOwner(std::string_view owner) {
  return owner == owner::kUnknown || owner == owner::kIptablesNft || owner == owner::kIptablesLegacy;
}

}  // namespace nftc
