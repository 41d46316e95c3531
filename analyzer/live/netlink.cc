#include "live/netlink.h"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace nftc::live {
namespace {

// A netlink socket that closes itself.
class NlSocket {
 public:
  explicit NlSocket(int proto) {
    fd_ = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
    if (fd_ < 0) return;
    timeval tv{5, 0};  // a read never hangs
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_nl sa{};
    sa.nl_family = AF_NETLINK;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~NlSocket() { if (fd_ >= 0) close(fd_); }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

// Appends a netlink attribute to a message buffer (aligned).
void PutAttr(std::vector<char>& buf, uint16_t type, const void* data, size_t len) {
  nlattr a{};
  a.nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
  a.nla_type = type;
  size_t off = buf.size();
  buf.resize(off + NLA_ALIGN(a.nla_len), 0);
  memcpy(buf.data() + off, &a, sizeof a);
  if (len) memcpy(buf.data() + off + NLA_HDRLEN, data, len);
}

// Sends `buf` (a complete message) and returns the reply bytes, or empty on error.
std::vector<char> Talk(int fd, std::vector<char>& buf, std::string* err) {
  reinterpret_cast<nlmsghdr*>(buf.data())->nlmsg_len = static_cast<uint32_t>(buf.size());
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) {
    if (err) *err = std::string("netlink send: ") + strerror(errno);
    return {};
  }
  std::vector<char> reply(65536);
  ssize_t n;
  do {
    n = recv(fd, reply.data(), reply.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) {
    if (err) *err = std::string("netlink recv: ") + (n < 0 ? strerror(errno) : "no reply");
    return {};
  }
  reply.resize(static_cast<size_t>(n));
  return reply;
}

}  // namespace

std::optional<uint32_t> ReadNftGenId(std::string* err) {
  NlSocket s(NETLINK_NETFILTER);
  if (s.fd() < 0) {
    if (err) *err = std::string("netlink socket: ") + strerror(errno);
    return std::nullopt;
  }
  std::vector<char> buf(NLMSG_ALIGN(sizeof(nlmsghdr)) + NLMSG_ALIGN(sizeof(nfgenmsg)), 0);
  auto* nlh = reinterpret_cast<nlmsghdr*>(buf.data());
  nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN;
  nlh->nlmsg_flags = NLM_F_REQUEST;
  nlh->nlmsg_seq = 1;
  auto* nfg = reinterpret_cast<nfgenmsg*>(buf.data() + NLMSG_ALIGN(sizeof(nlmsghdr)));
  nfg->nfgen_family = AF_UNSPEC;
  nfg->version = NFNETLINK_V0;
  std::vector<char> reply = Talk(s.fd(), buf, err);
  if (reply.empty()) return std::nullopt;
  int len = static_cast<int>(reply.size());
  for (auto* m = reinterpret_cast<nlmsghdr*>(reply.data()); NLMSG_OK(m, len); m = NLMSG_NEXT(m, len)) {
    if (m->nlmsg_type == NLMSG_ERROR) {
      auto* e = static_cast<nlmsgerr*>(NLMSG_DATA(m));
      if (err) *err = std::string("NFT_MSG_GETGEN: ") + strerror(-e->error);
      return std::nullopt;
    }
    if ((m->nlmsg_type & 0xff) != NFT_MSG_NEWGEN) continue;
    size_t hdr = NLMSG_ALIGN(sizeof(nfgenmsg));
    if (m->nlmsg_len < NLMSG_LENGTH(hdr)) break;
    char* p = static_cast<char*>(NLMSG_DATA(m)) + hdr;
    int left = static_cast<int>(m->nlmsg_len - NLMSG_LENGTH(hdr));
    while (left >= NLA_HDRLEN) {
      auto* a = reinterpret_cast<nlattr*>(p);
      if (a->nla_len < NLA_HDRLEN || a->nla_len > left) break;
      if ((a->nla_type & NLA_TYPE_MASK) == NFTA_GEN_ID && a->nla_len >= NLA_HDRLEN + 4) {
        uint32_t be;
        memcpy(&be, p + NLA_HDRLEN, 4);
        return ntohl(be);
      }
      int step = NLA_ALIGN(a->nla_len);
      p += step;
      left -= step;
    }
  }
  if (err) *err = "NFT_MSG_GETGEN: no generation id in the reply";
  return std::nullopt;
}

namespace {

// One RTM_NEWLINK of `kind`; returns 0 or the negative errno of the kernel's answer.
int NewLink(int fd, const std::string& name, const char* kind, std::string* err) {
  std::vector<char> buf(NLMSG_ALIGN(sizeof(nlmsghdr)) + NLMSG_ALIGN(sizeof(ifinfomsg)), 0);
  auto* nlh = reinterpret_cast<nlmsghdr*>(buf.data());
  nlh->nlmsg_type = RTM_NEWLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  nlh->nlmsg_seq = 1;
  PutAttr(buf, IFLA_IFNAME, name.c_str(), name.size() + 1);
  std::vector<char> info;
  PutAttr(info, IFLA_INFO_KIND, kind, strlen(kind) + 1);
  PutAttr(buf, IFLA_LINKINFO | NLA_F_NESTED, info.data(), info.size());
  std::vector<char> reply = Talk(fd, buf, err);
  if (reply.empty()) return -EIO;
  auto* m = reinterpret_cast<nlmsghdr*>(reply.data());
  if (NLMSG_OK(m, static_cast<int>(reply.size())) && m->nlmsg_type == NLMSG_ERROR) {
    return static_cast<nlmsgerr*>(NLMSG_DATA(m))->error;
  }
  return 0;
}

}  // namespace

bool AddPlaceholderInterface(const std::string& name, std::string* err) {
  if (name.empty() || name.size() >= 16) {
    if (err) *err = "invalid interface name '" + name + "'";
    return false;
  }
  NlSocket s(NETLINK_ROUTE);
  if (s.fd() < 0) {
    if (err) *err = std::string("netlink socket: ") + strerror(errno);
    return false;
  }
  int rc = -EOPNOTSUPP;
  for (const char* kind : {"dummy", "ifb", "bridge"}) {
    rc = NewLink(s.fd(), name, kind, err);
    if (rc == 0 || rc == -EEXIST) return true;
    if (rc != -EOPNOTSUPP) break;  // only a missing link kind is worth another try
  }
  if (err) *err = "creating placeholder interface " + name + ": " + strerror(-rc);
  return false;
}

}  // namespace nftc::live
