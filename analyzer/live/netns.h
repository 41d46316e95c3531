// Running a piece of work in another network namespace: a forked child joins an existing
// namespace (setns) or creates a throwaway one (unshare), does the work there and sends
// its result, a set of named text files, back through a pipe. The parent process never
// changes namespace.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace nftc::live {

/// Named text blobs: the files of a capture folder, by relative name.
using FileMap = std::map<std::string, std::string>;

/// Where the child runs.
struct NsTarget {
  enum class Mode { kCurrent, kJoin, kFresh };
  Mode mode = Mode::kCurrent;
  std::string path;  ///< kJoin: the namespace file (/run/netns/NAME, /proc/PID/ns/net)
  std::string spec;  ///< kJoin: what the user typed, for messages
};

/// `--netns NAME|PATH`: a bare NAME means /run/netns/NAME; anything with a '/' is a path.
/// Throws InputError for names that cannot be namespace names ("..", empty).
NsTarget JoinTarget(const std::string& spec);

/// Runs `work` in a forked child inside `target` and returns what it produced. kJoin needs
/// root (InputError otherwise, before any fork). kFresh uses unshare(CLONE_NEWNET) as
/// root, else an unprivileged user namespace with a uid/gid map; InputError when neither
/// is allowed. An exception thrown by `work` comes back as InputError with its message.
/// The child is killed after `timeout_s` seconds.
FileMap RunInNamespace(const NsTarget& target, const std::function<FileMap()>& work,
                       int timeout_s = 300);

}  // namespace nftc::live
