#include "live/netns.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "nftc/error.h"

namespace nftc::live {
namespace {

// Key of the entry a child uses to report a failure instead of a result.
constexpr const char* kErrorKey = "\x01error";
constexpr uint64_t kMaxFrame = 1ull << 30;

void PutU64(std::string& s, uint64_t v) {
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string Serialize(const FileMap& m) {
  std::string s;
  for (const auto& [k, v] : m) {
    PutU64(s, k.size());
    s += k;
    PutU64(s, v.size());
    s += v;
  }
  return s;
}

bool GetU64(const std::string& s, size_t& pos, uint64_t& v) {
  if (s.size() - pos < 8) return false;
  v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(s[pos + i])) << (8 * i);
  pos += 8;
  return true;
}

bool Deserialize(const std::string& s, FileMap& out) {
  size_t pos = 0;
  while (pos < s.size()) {
    uint64_t kl, vl;
    if (!GetU64(s, pos, kl) || kl > kMaxFrame || s.size() - pos < kl) return false;
    std::string k = s.substr(pos, kl);
    pos += kl;
    if (!GetU64(s, pos, vl) || vl > kMaxFrame || s.size() - pos < vl) return false;
    out[k] = s.substr(pos, vl);
    pos += vl;
  }
  return true;
}

bool WriteAll(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

bool WriteFileText(const char* path, const std::string& text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = WriteAll(fd, text);
  close(fd);
  return ok;
}

// In the child: enter or create the namespace. Returns an error message or "".
std::string EnterNamespace(const NsTarget& t, int nsfd) {
  if (t.mode == NsTarget::Mode::kJoin) {
    if (setns(nsfd, CLONE_NEWNET) != 0) return "setns(" + t.path + "): " + strerror(errno);
    return "";
  }
  if (t.mode != NsTarget::Mode::kFresh) return "";
  if (unshare(CLONE_NEWNET) == 0) return "";
  int root_errno = errno;
  // Not allowed directly (not root): an unprivileged user namespace owns a new netns.
  uid_t uid = getuid();
  gid_t gid = getgid();
  if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
    return std::string("cannot create a network namespace: unshare(CLONE_NEWNET): ") +
           strerror(root_errno) + "; unshare(CLONE_NEWUSER|CLONE_NEWNET): " + strerror(errno) +
           " (run as root, or allow unprivileged user namespaces)";
  }
  WriteFileText("/proc/self/setgroups", "deny");
  if (!WriteFileText("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
      !WriteFileText("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1")) {
    return std::string("cannot map ids in the new user namespace: ") + strerror(errno);
  }
  return "";
}

[[noreturn]] void ChildMain(const NsTarget& t, int nsfd, int wfd, const std::function<FileMap()>& work) {
  FileMap result;
  std::string err = EnterNamespace(t, nsfd);
  if (err.empty()) {
    try {
      result = work();
    } catch (const InputError& e) {
      err = e.Describe();
    } catch (const std::exception& e) {
      err = e.what();
    } catch (...) {
      err = "unknown failure";
    }
  }
  if (!err.empty()) {
    result.clear();
    result[kErrorKey] = err;
  }
  _exit(WriteAll(wfd, Serialize(result)) ? 0 : 3);
}

}  // namespace

NsTarget JoinTarget(const std::string& spec) {
  NsTarget t;
  t.mode = NsTarget::Mode::kJoin;
  t.spec = spec;
  if (spec.empty() || spec == "." || spec == "..") throw InputError("--netns: invalid namespace name '" + spec + "'");
  t.path = spec.find('/') != std::string::npos ? spec : "/run/netns/" + spec;
  return t;
}

FileMap RunInNamespace(const NsTarget& target, const std::function<FileMap()>& work, int timeout_s) {
  int nsfd = -1;
  if (target.mode == NsTarget::Mode::kJoin) {
    if (geteuid() != 0) {
      throw InputError("--netns " + target.spec +
                       ": entering another network namespace needs root (CAP_SYS_ADMIN); run as root");
    }
    nsfd = open(target.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (nsfd < 0) {
      throw InputError("--netns " + target.spec + ": cannot open " + target.path + ": " + strerror(errno));
    }
    int type = ioctl(nsfd, NS_GET_NSTYPE);
    if (type != CLONE_NEWNET) {
      close(nsfd);
      throw InputError("--netns " + target.spec + ": " + target.path + " is not a network namespace");
    }
  }
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    if (nsfd >= 0) close(nsfd);
    throw InputError(std::string("pipe: ") + strerror(errno));
  }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    int e = errno;
    close(p[0]);
    close(p[1]);
    if (nsfd >= 0) close(nsfd);
    throw InputError(std::string("fork: ") + strerror(e));
  }
  if (pid == 0) {
    close(p[0]);
    ChildMain(target, nsfd, p[1], work);
  }
  close(p[1]);
  if (nsfd >= 0) close(nsfd);
  std::string data;
  char buf[65536];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{p[0], POLLIN, 0};
    int n = poll(&pfd, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    ssize_t r = read(p[0], buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    data.append(buf, static_cast<size_t>(r));
  }
  close(p[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) throw InputError("reading the namespace took longer than " + std::to_string(timeout_s) + " s");
  FileMap out;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !Deserialize(data, out)) {
    throw InputError("the namespace reader process failed (status " + std::to_string(status) + ")");
  }
  auto it = out.find(kErrorKey);
  if (it != out.end()) throw InputError(it->second);
  return out;
}

}  // namespace nftc::live
