// LoadInput: picks the loader for what the user named.
#include "input.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "live/snapshot.h"
#include "load/capture_dir.h"
#include "load/load_json.h"
#include "load/nft_text.h"
#include "nftc/error.h"
#include "nftc/owners.h"

namespace nftc {
namespace {

constexpr size_t kMaxInputFile = 512u << 20;

// True for text that starts like an nft script rather than JSON.
bool LooksLikeNftText(std::string_view text) {
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return false;
  std::string_view rest = text.substr(b);
  if (rest[0] == '#') return true;
  for (std::string_view kw : {"table ", "table\t", "flush ", "define ", "include ", "add ", "create ", "insert ",
                              "delete ", "destroy "}) {
    if (rest.substr(0, kw.size()) == kw) return true;
  }
  return false;
}

Ruleset LoadLive(const InputSpec& spec) {
  live::SnapshotOptions o;
  std::string origin = "live";
  if (!spec.netns.empty()) {
    o.target = live::JoinTarget(spec.netns);
    origin = "live:" + spec.netns;
  }
  Ruleset rs;
  LoadCaptureFiles(live::TakeSnapshot(o), origin, rs, origin);
  return rs;
}

Ruleset LoadJsonText(const std::string& text, const std::string& origin) {
  Ruleset rs;
  rs.origin = origin;
  LoadNftJson(text, origin, rs);
  ClassifyBackends(rs);
  return rs;
}

}  // namespace

static Ruleset LoadUnattributed(const InputSpec& spec) {
  if (spec.path.empty()) return LoadLive(spec);
  if (!spec.netns.empty()) {
    throw InputError("--netns reads the live kernel; it cannot be combined with an input file", SourceRef{spec.path});
  }
  if (spec.path == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return LoadJsonText(text, "-");
  }
  struct stat st{};
  if (stat(spec.path.c_str(), &st) != 0) {
    throw InputError(std::string("cannot open input: ") + strerror(errno), SourceRef{spec.path});
  }
  if (S_ISDIR(st.st_mode)) return LoadCaptureDir(spec.path);
  if (!S_ISREG(st.st_mode)) throw InputError("input is not a regular file or a capture folder", SourceRef{spec.path});
  if (access(spec.path.c_str(), R_OK) != 0) {
    throw InputError(std::string("cannot read input: ") + strerror(errno), SourceRef{spec.path});
  }
  Ruleset rs;
  if (std::string_view(spec.path).ends_with(".nft")) {
    LoadNftTextFile(spec.path, rs);
    return rs;
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxInputFile) {
    throw InputError("input file too large (limit " + std::to_string(kMaxInputFile >> 20) + " MiB)", SourceRef{spec.path});
  }
  std::ifstream f(spec.path, std::ios::binary);
  if (!f) throw InputError(std::string("cannot read input: ") + strerror(errno), SourceRef{spec.path});
  {
    // JSON (the first non-blank byte is '{'): the loader maps the file and streams it
    // (issue 7: reading it into a stringstream and a string held up to 3x the file and
    // took a quarter of the load time).
    char head[4096];
    f.read(head, sizeof head);
    std::string_view h(head, static_cast<size_t>(f.gcount()));
    size_t b = h.find_first_not_of(" \t\r\n");
    if (b != std::string_view::npos && h[b] == '{') {
      rs.origin = spec.path;
      LoadNftJsonFile(spec.path, rs);
      ClassifyBackends(rs);
      return rs;
    }
    f.clear();
    f.seekg(0);
  }
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b != std::string::npos && text[b] != '{' && LooksLikeNftText(text)) {
    LoadNftTextFile(spec.path, rs);
    return rs;
  }
  return LoadJsonText(text, spec.path);
}

Ruleset LoadInput(const InputSpec& spec) {
  Ruleset rs = LoadUnattributed(spec);
  AttributeOwners(rs);  // every command reads owners; the one place they are attributed
  return rs;
}

}  // namespace nftc
