#include "load/capture_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "iptables/legacy.h"
#include "iptables/merge.h"
#include "iptables/save_parser.h"
#include "load/host_context.h"
#include "load/load_json.h"
#include "nftc/error.h"

namespace nftc {
namespace {

constexpr size_t kMaxRulesetJson = 512u << 20;  // larger than any real ruleset
constexpr size_t kMaxOtherFile = 64u << 20;
constexpr size_t kMaxFiles = 4096;
constexpr int kMaxDepth = 6;

// Subfolders of a capture that hold copied configuration.
bool IsConfigSubdir(std::string_view name) { return name == "etc" || name == "usr"; }

// Names the capture command writes at the top level (removed by --force).
bool IsCaptureFileName(std::string_view n) {
  auto ends = [&](std::string_view suf) { return n.size() >= suf.size() && n.substr(n.size() - suf.size()) == suf; };
  static const std::set<std::string_view> kNames = {
      "ruleset.json", "ruleset.nft", "nft-stderr.txt", "sysctl.txt", "interfaces.txt",
      "interfaces.json", "routes.txt", "meta.txt", "services.txt", "capture-warnings.txt"};
  return kNames.count(n) > 0 || ends("-save.txt") || ends("_tables_names.txt");
}

std::string ReadFd(int fd, size_t limit, const std::string& path) {
  std::string s;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputError(std::string("cannot read: ") + strerror(errno), SourceRef{path});
    if (n == 0) break;
    if (s.size() + static_cast<size_t>(n) > limit) {
      throw InputError("file too large (limit " + std::to_string(limit >> 20) + " MiB)", SourceRef{path});
    }
    s.append(buf, static_cast<size_t>(n));
  }
  return s;
}

void ReadTree(int dfd, const std::string& path, const std::string& prefix, int depth, CaptureFiles& out) {
  DIR* d = fdopendir(dfd);
  if (!d) {
    close(dfd);
    throw InputError(std::string("cannot list folder: ") + strerror(errno), SourceRef{path});
  }
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  for (const std::string& n : names) {
    std::string rel = prefix + n;
    std::string full = path + "/" + n;
    struct stat st{};
    if (fstatat(dirfd(d), n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (depth >= kMaxDepth || (depth == 0 && !IsConfigSubdir(n))) continue;
      int sub = openat(dirfd(d), n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0) ReadTree(sub, full, rel + "/", depth + 1, out);
      continue;
    }
    if (!S_ISREG(st.st_mode)) continue;  // symlinks, fifos, devices: never opened
    if (out.size() >= kMaxFiles) {
      closedir(d);
      throw InputError("too many files in the capture folder", SourceRef{path});
    }
    int fd = openat(dirfd(d), n.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      closedir(d);
      throw InputError(std::string("cannot open: ") + strerror(e), SourceRef{full});
    }
    try {
      out[rel] = ReadFd(fd, rel == "ruleset.json" ? kMaxRulesetJson : kMaxOtherFile, full);
    } catch (...) {
      close(fd);
      closedir(d);
      throw;
    }
    close(fd);
  }
  closedir(d);
}

// The iptables-save texts of a capture (analyzer/iptables/): iptables-nft-save.txt /
// ip6tables-nft-save.txt give the arguments of the xt expressions of the iptables-nft
// tables; the *-legacy-save.txt files become Backend::kIptablesLegacy tables. A legacy
// table that *_tables_names.txt lists but no save text describes is added empty when the
// save file exists (the kernel lists it, the save shows nothing; noted, since
// iptables-legacy-save prints every listed table), and only noted when the save file is
// missing: its rules are then unknown, not absent.
void ApplyIptablesSaves(const CaptureFiles& files, const std::string& origin, Ruleset& out) {
  auto find = [&](const std::string& name) -> const std::string* {
    auto it = files.find(name);
    return it == files.end() ? nullptr : &it->second;
  };
  struct Fam {
    Family family;
    const char* nft_save;
    const char* legacy_save;
    const char* names;
  };
  for (const Fam& f : {Fam{Family::kIp, "iptables-nft-save.txt", "iptables-legacy-save.txt", "ip_tables_names.txt"},
                       Fam{Family::kIp6, "ip6tables-nft-save.txt", "ip6tables-legacy-save.txt", "ip6_tables_names.txt"},
                       Fam{Family::kArp, "", "arptables-legacy-save.txt", "arp_tables_names.txt"}}) {
    if (*f.nft_save) {
      if (const std::string* s = find(f.nft_save)) {
        ipt::MergeIptablesNftSave(out, ipt::ParseSave(*s, origin + "/" + f.nft_save), f.family);
      }
    }
    const std::string* legacy = find(f.legacy_save);
    std::string legacy_file = origin + "/" + f.legacy_save;
    std::optional<ipt::ParsedSave> parsed;
    if (legacy) {
      parsed = ipt::ParseSave(*legacy, legacy_file);
      ipt::AddLegacyTables(out, *parsed, f.family);
    }
    const std::string* names = find(f.names);
    if (!names) continue;
    for (const std::string& t : ParseTableNames(*names)) {
      if (parsed && parsed->FindTable(t)) continue;
      if (parsed) {
        if (auto empty = ipt::EmptyLegacyTable(f.family, t, legacy_file)) {
          out.tables.push_back(std::move(*empty));
          // iptables-legacy-save prints every table the kernel lists, so this save text
          // is from another moment or a failed run: say so (no silent "clean").
          LoadNote n;
          n.kind = LoadNote::Kind::kOther;
          n.message = "legacy table " + std::string(ToString(f.family)) + " " + t + " is listed (" +
                      f.names + ") but " + f.legacy_save +
                      " holds nothing for it: analysed as empty (built-in chains, policy accept)";
          n.where = SourceRef{legacy_file};
          n.family = std::string(ToString(f.family));
          n.table = t;
          out.notes.push_back(std::move(n));
          continue;
        }
      }
      LoadNote n;
      n.kind = LoadNote::Kind::kUnsupported;
      n.message = "legacy table " + std::string(ToString(f.family)) + " " + t + " exists (" + f.names +
                  ") but its rules were not captured (no " + f.legacy_save + "): they are unknown";
      n.where = SourceRef{origin + "/" + f.names};
      n.family = std::string(ToString(f.family));
      n.table = t;
      out.notes.push_back(std::move(n));
    }
  }
}

int OpenDirNoFollow(int at, const std::string& name, const std::string& shown) {
  int fd = openat(at, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    throw InputError(std::string("cannot open folder (symlinks are refused): ") + strerror(errno),
                     SourceRef{shown});
  }
  return fd;
}

// Removes the files an earlier capture wrote (for --force). Never follows symlinks.
void RemoveOldCapture(int dfd, bool top, const std::string& shown) {
  DIR* d = fdopendir(dup(dfd));  // a dup shares the offset: rewind
  if (!d) return;
  rewinddir(d);
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  closedir(d);
  for (const std::string& n : names) {
    struct stat st{};
    if (fstatat(dfd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISDIR(st.st_mode) && (!top || IsConfigSubdir(n))) {
      int sub = openat(dfd, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) continue;
      RemoveOldCapture(sub, false, shown + "/" + n);
      close(sub);
      unlinkat(dfd, n.c_str(), AT_REMOVEDIR);  // only succeeds when empty
    } else if (S_ISREG(st.st_mode) && (!top || IsCaptureFileName(n))) {
      if (unlinkat(dfd, n.c_str(), 0) != 0) {
        throw InputError(std::string("cannot remove old file: ") + strerror(errno), SourceRef{shown + "/" + n});
      }
    }
  }
}

bool ValidRelName(const std::string& rel) {
  if (rel.empty() || rel[0] == '/' || rel.back() == '/') return false;
  size_t pos = 0;
  while (pos <= rel.size()) {
    size_t sl = rel.find('/', pos);
    if (sl == std::string::npos) sl = rel.size();
    std::string_view c(rel.data() + pos, sl - pos);
    if (c.empty() || c == "." || c == "..") return false;
    pos = sl + 1;
  }
  return true;
}

}  // namespace

CaptureFiles ReadCaptureDir(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw InputError(std::string("cannot open capture folder: ") + strerror(errno), SourceRef{dir});
  CaptureFiles files;
  ReadTree(fd, dir, "", 0, files);
  return files;
}

void LoadCaptureFiles(const CaptureFiles& files, const std::string& origin, Ruleset& out,
                      const std::string& ruleset_ref) {
  auto it = files.find("ruleset.json");
  if (it == files.end()) {
    throw InputError("capture folder has no ruleset.json (the output of `nft -j list ruleset`)",
                     SourceRef{origin + "/ruleset.json"});
  }
  out.origin = origin;
  LoadNftJson(it->second, ruleset_ref.empty() ? origin + "/ruleset.json" : ruleset_ref, out);
  ClassifyBackends(out);
  ApplyIptablesSaves(files, origin, out);
  FillHostContext(files, origin, out.host);
}

Ruleset LoadCaptureDir(const std::string& dir) {
  Ruleset rs;
  LoadCaptureFiles(ReadCaptureDir(dir), dir, rs);
  return rs;
}

void WriteCaptureDir(const CaptureFiles& files, const std::string& dir, bool force) {
  if (dir.empty()) throw InputError("capture: no output folder given (-o DIR)");
  struct stat st{};
  if (lstat(dir.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) throw InputError("output folder is a symlink; refusing to follow it", SourceRef{dir});
    if (!S_ISDIR(st.st_mode)) throw InputError("output path exists and is not a folder", SourceRef{dir});
  } else if (errno == ENOENT) {
    if (mkdir(dir.c_str(), 0700) != 0) {
      throw InputError(std::string("cannot create folder: ") + strerror(errno), SourceRef{dir});
    }
  } else {
    throw InputError(std::string("cannot inspect output folder: ") + strerror(errno), SourceRef{dir});
  }
  int top = OpenDirNoFollow(AT_FDCWD, dir, dir);
  struct CloseFd {
    int fd;
    ~CloseFd() { close(fd); }
  } guard{top};
  DIR* d = fdopendir(dup(top));
  if (d) rewinddir(d);
  bool empty = true;
  while (d && empty) {
    dirent* e = readdir(d);
    if (!e) break;
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = false;
  }
  if (d) closedir(d);
  if (!empty) {
    if (!force) throw InputError("output folder exists and is not empty; use --force to replace the capture in it", SourceRef{dir});
    RemoveOldCapture(top, true, dir);
  }
  fchmod(top, 0700);
  for (const auto& [rel, content] : files) {
    if (!ValidRelName(rel)) throw InputError("invalid capture file name '" + rel + "'", SourceRef{dir});
    // walk/create the subfolders without following symlinks
    int at = top;
    std::vector<int> opened;
    size_t pos = 0;
    for (size_t sl; (sl = rel.find('/', pos)) != std::string::npos; pos = sl + 1) {
      std::string comp = rel.substr(pos, sl - pos);
      if (mkdirat(at, comp.c_str(), 0700) != 0 && errno != EEXIST) {
        for (int f : opened) close(f);
        throw InputError(std::string("cannot create folder: ") + strerror(errno), SourceRef{dir + "/" + rel.substr(0, sl)});
      }
      int sub = openat(at, comp.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) {
        for (int f : opened) close(f);
        throw InputError("cannot open folder (symlinks are refused)", SourceRef{dir + "/" + rel.substr(0, sl)});
      }
      opened.push_back(sub);
      at = sub;
    }
    std::string base = rel.substr(pos);
    int fd = openat(at, base.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int err = errno;
    for (int f : opened) close(f);
    if (fd < 0) throw InputError(std::string("cannot create file: ") + strerror(err), SourceRef{dir + "/" + rel});
    fchmod(fd, 0600);
    size_t off = 0;
    bool ok = true;
    while (off < content.size()) {
      ssize_t n = write(fd, content.data() + off, content.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ok = false;
        break;
      }
      off += static_cast<size_t>(n);
    }
    if (fsync(fd) != 0) ok = false;
    close(fd);
    if (!ok) throw InputError("cannot write file", SourceRef{dir + "/" + rel});
  }
}

}  // namespace nftc
