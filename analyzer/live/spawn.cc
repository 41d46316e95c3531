#include "live/spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nftc::live {

std::optional<std::string> FindProgram(std::string_view name) {
  if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
  for (const char* dir : {"/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/"}) {
    std::string p = std::string(dir) + std::string(name);
    struct stat st{};
    if (stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(p.c_str(), X_OK) == 0) return p;
  }
  return std::nullopt;
}

namespace {

struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() { Close(0); Close(1); }
  void Close(int i) { if (fd[i] >= 0) { close(fd[i]); fd[i] = -1; } }
};

// Reads both pipes until EOF or the deadline; returns false on timeout.
bool Drain(int out_fd, int err_fd, std::string& out, std::string& err,
           std::chrono::steady_clock::time_point deadline, bool& overflow) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* dst[2] = {&out, &err};
  int open = 2;
  char buf[65536];
  while (open > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) return false;
    int n = poll(fds, 2, static_cast<int>(left));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        fds[i].fd = -1;
        --open;
        continue;
      }
      if (dst[i]->size() + static_cast<size_t>(r) > kMaxProgramOutput) overflow = true;
      else dst[i]->append(buf, static_cast<size_t>(r));
    }
  }
  return true;
}

}  // namespace

ProgramResult RunProgram(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  ProgramResult res;
  if (argv.empty()) {
    res.found = false;
    return res;
  }
  std::optional<std::string> path = FindProgram(argv[0]);
  if (!path) {
    res.found = false;
    return res;
  }
  Pipe out, err;
  if (pipe2(out.fd, O_CLOEXEC) != 0 || pipe2(err.fd, O_CLOEXEC) != 0) {
    res.err = std::string("pipe: ") + strerror(errno);
    return res;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err.fd[1], 2);
  std::vector<char*> av;
  for (const std::string& a : argv) av.push_back(const_cast<char*>(a.c_str()));
  av.push_back(nullptr);
  char env_path[] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
  char env_lc[] = "LC_ALL=C";
  char* envp[] = {env_path, env_lc, nullptr};
  pid_t pid = -1;
  int rc = posix_spawn(&pid, path->c_str(), &fa, nullptr, av.data(), envp);
  posix_spawn_file_actions_destroy(&fa);
  out.Close(1);
  err.Close(1);
  if (rc != 0) {
    res.err = "posix_spawn " + *path + ": " + strerror(rc);
    return res;
  }
  bool overflow = false;
  bool done = Drain(out.fd[0], err.fd[0], res.out, res.err,
                    std::chrono::steady_clock::now() + timeout, overflow);
  if (!done) {
    kill(pid, SIGKILL);
    res.timed_out = true;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) res.exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) res.exit_code = 128 + WTERMSIG(status);
  if (overflow) {
    res.exit_code = res.exit_code == 0 ? 1 : res.exit_code;
    res.err += "\n(output larger than the limit; truncated)";
  }
  return res;
}

}  // namespace nftc::live
