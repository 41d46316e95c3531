// nft JSON -> model: tables, chains, rules, sets, maps, flowtables.
#include "load/load_json.h"

#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <unordered_map>

#include "load/json_expr.h"
#include "load/json_stream.h"
#include "load/symbols.h"
#include "nftc/error.h"

namespace nftc {

namespace {

using json = JsonVal;

/// The JSON schema versions this build understands (nft's metainfo.json_schema_version).
constexpr int kKnownSchemaVersion = 1;

JsonVal Member(JsonVal j, const char* k) { return j.find(k); }

class Loader {
 public:
  Loader(const std::string& origin, Ruleset& rs) : origin_(origin), rs_(rs) {}

  void Item(size_t index, JsonVal item) {
    SourceRef where{origin_, static_cast<int64_t>(index), -1};
    if (!item.is_object() || item.size() != 1) Fail(where, "item is not an object with one member");
    std::string kind(item.front().key());
    JsonVal body = item.front();
    if (!body.is_object()) Fail(where, "\"" + kind + "\" is not an object");
    if (kind == "metainfo") return Metainfo(body, where);
    if (kind == "table") return AddTable(body, where);
    if (kind == "chain") return AddChain(body, where);
    if (kind == "rule") return AddRule(body, where);
    if (kind == "set" || kind == "map") return FinishSet(index, kind, body, where);
    if (kind == "element") return FinishSet(index, kind, body, where);
    if (kind == "flowtable") return AddFlowtable(body, where);
    // Named stateful objects (counter, quota, ct helper, limit, secmark, synproxy ...) carry
    // no filtering semantics of their own: skip them.
  }

  void ElemCount(size_t index, std::string_view kind, JsonVal header, size_t count) {
    SourceRef where{origin_, static_cast<int64_t>(index), -1};
    Set* set = PendingSet(index, kind, header, where);
    set->elems.reserve(set->elems.size() + count);
  }

  void Elem(size_t index, std::string_view kind, JsonVal header, JsonVal elem) {
    SourceRef where{origin_, static_cast<int64_t>(index), -1};
    Set* set = PendingSet(index, kind, header, where);
    ExprContext ctx = Ctx(where, header);
    set->elems.push_back(ConvertElem(elem, *set, ctx));
  }

 private:
  [[noreturn]] void Fail(const SourceRef& where, const std::string& msg) { throw InputError(msg, where); }

  std::string_view ReqSv(JsonVal j, const char* k, const SourceRef& where) {
    JsonVal m = Member(j, k);
    if (!m || !m->is_string()) Fail(where, std::string("missing or non-string \"") + k + "\"");
    return m->sv();
  }
  std::string Req(JsonVal j, const char* k, const SourceRef& where) { return std::string(ReqSv(j, k, where)); }
  uint64_t Handle(JsonVal j, const SourceRef& where) {
    JsonVal h = Member(j, "handle");
    if (!h) return 0;
    // nft prints handles as unsigned 64-bit numbers; anything else is not nft's output.
    if (!h->is_number_unsigned()) Fail(where, "\"handle\" is not a non-negative 64-bit integer: " + h->dump());
    return h->get<uint64_t>();
  }
  std::string Comment(JsonVal j) {
    JsonVal c = Member(j, "comment");
    return c && c->is_string() ? c->get<std::string>() : std::string();
  }
  Family Fam(JsonVal j, const SourceRef& where) {
    std::string_view f = ReqSv(j, "family", where);
    auto fam = ParseFamily(f);
    if (!fam) Fail(where, "unknown family \"" + std::string(f) + "\"");
    return *fam;
  }

  /// Index in rs_.tables of the table an item refers to ("family" + "table" members).
  size_t TableIndex(JsonVal j, const SourceRef& where) {
    Family f = Fam(j, where);
    std::string_view name = ReqSv(j, "table", where);
    // Items come grouped by table: most lookups hit the previous one.
    if (last_table_ < rs_.tables.size() && rs_.tables[last_table_].family == f && rs_.tables[last_table_].name == name)
      return last_table_;
    auto it = tables_.find(Key(f, name));
    if (it == tables_.end())
      Fail(where, "refers to table " + std::string(ToString(f)) + " " + std::string(name) + ", which is not defined before it");
    return last_table_ = it->second;
  }
  Table& FindTable(JsonVal j, const SourceRef& where) { return rs_.tables[TableIndex(j, where)]; }
  static std::string Key(Family f, std::string_view name) {
    std::string k(ToString(f));
    k += '\x1f';
    k += name;
    return k;
  }

  ExprContext Ctx(const SourceRef& where, JsonVal j) {
    ExprContext ctx;
    ctx.where = &where;
    ctx.notes = &rs_.notes;
    JsonVal f = Member(j, "family");
    if (f && f->is_string()) {
      ctx.family = f->sv();
      if (auto fam = ParseFamily(ctx.family)) ctx.fam = *fam;
    }
    JsonVal t = Member(j, "table");
    if (t && t->is_string()) ctx.table = t->sv();
    JsonVal c = Member(j, "chain");
    if (c && c->is_string()) ctx.chain = c->sv();
    ctx.handle = Handle(j, where);
    return ctx;
  }

  void Metainfo(JsonVal j, const SourceRef& where) {
    if (JsonVal v = Member(j, "version"); v && v->is_string()) rs_.nft_version = v->get<std::string>();
    if (JsonVal s = Member(j, "json_schema_version")) {
      if (!s->is_number_integer()) Fail(where, "json_schema_version is not a number");
      rs_.json_schema_version = s->get<int>();
      if (rs_.json_schema_version != kKnownSchemaVersion)
        Fail(where, "unsupported json_schema_version " + std::to_string(rs_.json_schema_version) +
                        " (this build of nft-coexist reads version " + std::to_string(kKnownSchemaVersion) + ")");
    }
  }

  void AddTable(JsonVal j, const SourceRef& where) {
    Table t;
    t.family = Fam(j, where);
    t.name = Req(j, "name", where);
    t.handle = Handle(j, where);
    t.comment = Comment(j);
    t.src = where;
    if (JsonVal fl = Member(j, "flags")) {
      if (fl->is_string()) t.flags.push_back(fl->get<std::string>());
      else if (fl->is_array())
        for (const auto& f : *fl)
          if (f.is_string()) t.flags.push_back(f.get<std::string>());
    }
    std::string key = Key(t.family, t.name);
    if (tables_.count(key)) Fail(where, "table " + t.Id() + " defined twice");
    tables_[key] = rs_.tables.size();
    rs_.tables.push_back(std::move(t));
  }

  void AddChain(JsonVal j, const SourceRef& where) {
    size_t ti = TableIndex(j, where);
    Table& t = rs_.tables[ti];
    Chain c;
    c.name = Req(j, "name", where);
    c.handle = Handle(j, where);
    c.comment = Comment(j);
    c.src = where;
    if (JsonVal hook = Member(j, "hook")) {
      if (!hook->is_string()) Fail(where, "chain hook is not a string");
      auto h = ParseHook(hook->get<std::string>());
      if (!h) Fail(where, "chain " + c.name + ": unknown hook \"" + hook->get<std::string>() + "\"");
      c.base = true;
      c.hook = *h;
      std::string type = Member(j, "type") && (*Member(j, "type")).is_string() ? (*Member(j, "type")).get<std::string>() : "filter";
      auto ct = ParseChainType(type);
      if (!ct) Fail(where, "chain " + c.name + ": unknown type \"" + type + "\"");
      c.type = *ct;
      JsonVal prio = Member(j, "prio");
      if (!prio) Fail(where, "base chain " + c.name + " has no priority");
      if (prio->is_number_integer()) {
        int64_t p = prio->get<int64_t>();
        if (p < INT32_MIN || p > INT32_MAX) Fail(where, "chain " + c.name + ": priority out of range");
        c.prio = static_cast<int32_t>(p);
      } else {
        // nft's own output always gives numbers; hand-written JSON may not.
        Fail(where, "chain " + c.name + ": priority is not a number: " + prio->dump());
      }
      if (JsonVal pol = Member(j, "policy")) {
        // The policy decides every packet no rule decides: never guess it.
        std::string p = pol->is_string() ? pol->get<std::string>() : pol->dump();
        if (p != "accept" && p != "drop") Fail(where, "chain " + c.name + ": unknown policy \"" + p + "\"");
        c.policy = p == "drop" ? Policy::kDrop : Policy::kAccept;
      }
      if (JsonVal dev = Member(j, "dev")) {
        if (dev->is_string()) c.devices.push_back(dev->get<std::string>());
        else if (dev->is_array())
          for (const auto& d : *dev)
            if (d.is_string()) c.devices.push_back(d.get<std::string>());
      }
    }
    // The table's name index keeps FindChain O(1) (a scan is quadratic with 100k chains).
    if (!t.chain_index.emplace(c.name, uint32_t(t.chains.size())).second)
      Fail(where, "chain " + c.name + " defined twice in table " + t.Id());
    t.chains.push_back(std::move(c));
  }

  void AddRule(JsonVal j, const SourceRef& where) {
    size_t ti = TableIndex(j, where);
    Table& t = rs_.tables[ti];
    std::string_view cname = ReqSv(j, "chain", where);
    Chain* c = nullptr;
    if (last_rule_table_ == ti && last_chain_ < t.chains.size() && t.chains[last_chain_].name == cname) {
      c = &t.chains[last_chain_];  // rules come grouped by chain
    } else if (auto it = t.chain_index.find(cname); it != t.chain_index.end()) {
      c = &t.chains[it->second];
      last_rule_table_ = ti;
      last_chain_ = it->second;
    }
    if (!c) Fail(where, "rule refers to chain " + std::string(cname) + ", which is not defined in table " + t.Id());
    Rule r;
    r.handle = Handle(j, where);
    r.comment = Comment(j);
    r.src = where;
    r.position = static_cast<int32_t>(c->rules.size());
    JsonVal expr = Member(j, "expr");
    if (!expr || !expr->is_array()) Fail(where, "rule without an \"expr\" array");
    ExprContext ctx = Ctx(where, j);
    ctx.sets = &t.sets;
    r.stmts.reserve(expr->size());
    for (const auto& st : *expr) r.stmts.push_back(ConvertStmt(st, ctx));
    c->rules.push_back(std::move(r));
  }

  /// The set currently receiving streamed elements (created from the header on first use).
  Set* PendingSet(size_t index, std::string_view kind, JsonVal header, const SourceRef& where) {
    if (pending_index_ == index && pending_) return pending_;
    Table& t = FindTable(header, where);
    std::string name = Req(header, "name", where);
    Set* s = t.FindSet(name);
    if (kind == "element") {
      if (!s) Fail(where, "elements for set " + name + ", which is not defined in table " + t.Id());
    } else {
      if (s) Fail(where, "set " + name + " defined twice in table " + t.Id());
      t.set_index.emplace(name, uint32_t(t.sets.size()));
      t.sets.emplace_back();
      s = &t.sets.back();
      FillSetHeader(*s, kind, header, where);
    }
    pending_index_ = index;
    pending_ = s;
    return s;
  }

  static std::vector<DataType> Types(JsonVal j) {
    std::vector<DataType> out;
    if (!j) return out;
    if (j->is_string()) out.push_back(ParseDataTypeName(j->get<std::string>()));
    else if (j->is_array())
      for (const auto& t : *j) out.push_back(t.is_string() ? ParseDataTypeName(t.get<std::string>()) : DataType::kUnknown);
    return out;
  }

  void FillSetHeader(Set& s, std::string_view kind, JsonVal j, const SourceRef& where) {
    s.name = Req(j, "name", where);
    s.handle = Handle(j, where);
    s.comment = Comment(j);
    s.src = where;
    s.is_map = kind == "map";
    s.key = Types(Member(j, "type"));
    if (s.key.empty()) {
      // "typeof" sets: derive the type from the expression.
      if (JsonVal tof = Member(j, "typeof")) {
        ExprContext ctx = Ctx(where, j);
        Expr e = ConvertExpr(*tof, DataType::kUnknown, ctx);
        if (e.kind == ExprKind::kConcat)
          for (const auto& k : e.kids) s.key.push_back(k.type);
        else
          s.key.push_back(e.type);
      }
    }
    if (s.is_map) s.data = Types(Member(j, "map"));
    if (JsonVal fl = Member(j, "flags")) {
      auto add = [&](const std::string& f) {
        if (f == "constant") s.flags |= kSetConstant;
        else if (f == "interval") s.flags |= kSetInterval;
        else if (f == "timeout") s.flags |= kSetTimeout;
        else if (f == "dynamic") s.flags |= kSetDynamic;
      };
      if (fl->is_string()) add(fl->get<std::string>());
      else if (fl->is_array())
        for (const auto& f : *fl)
          if (f.is_string()) add(f.get<std::string>());
    }
  }

  void FinishSet(size_t index, const std::string& kind, JsonVal body, const SourceRef& where) {
    Set* s = PendingSet(index, kind, body, where);  // creates the set when it had no elements
    // Elements arrive one by one, so the vector grew by doubling: give a big set's slack
    // back (up to half of 144 bytes per element) before the rules are loaded.
    if (s->elems.capacity() - s->elems.size() > std::max<size_t>(4096, s->elems.size() / 8)) s->elems.shrink_to_fit();
    pending_ = nullptr;
    pending_index_ = SIZE_MAX;
  }

  void AddFlowtable(JsonVal j, const SourceRef& where) {
    Table& t = FindTable(j, where);
    Flowtable f;
    f.name = Req(j, "name", where);
    f.handle = Handle(j, where);
    f.src = where;
    if (JsonVal p = Member(j, "prio"); p && p->is_number_integer()) f.prio = p->get<int32_t>();
    if (JsonVal dev = Member(j, "dev")) {
      if (dev->is_string()) f.devices.push_back(dev->get<std::string>());
      else if (dev->is_array())
        for (const auto& d : *dev)
          if (d.is_string()) f.devices.push_back(d.get<std::string>());
    }
    t.flowtables.push_back(std::move(f));
  }

  IStr origin_;  // interned once: every SourceRef shares it
  Ruleset& rs_;
  std::unordered_map<std::string, size_t> tables_;
  size_t last_table_ = SIZE_MAX;
  size_t last_rule_table_ = SIZE_MAX;
  size_t last_chain_ = SIZE_MAX;
  Set* pending_ = nullptr;
  size_t pending_index_ = SIZE_MAX;
};

}  // namespace

namespace {

void Load(std::string_view text, const std::string& origin, Ruleset& out,
          std::function<void(size_t, size_t)> release = nullptr) {
  Loader loader(origin, out);
  JsonStreamCallbacks cb;
  cb.on_item = [&](size_t i, JsonVal item) { loader.Item(i, item); };
  cb.on_elem = [&](size_t i, std::string_view kind, JsonVal header, JsonVal elem) {
    loader.Elem(i, kind, header, elem);
  };
  cb.on_elem_count = [&](size_t i, std::string_view kind, JsonVal header, size_t n) {
    loader.ElemCount(i, kind, header, n);
  };
  cb.on_release = std::move(release);
  StreamNftJson(text, origin, cb);
}

/// A read-only private mapping of a regular file. The parser reads it front to back, so pages
/// it is done with are dropped (MADV_DONTNEED): the input does not stay in the RSS.
class MappedFile {
 public:
  MappedFile(int fd, size_t size) : size_(size) {
    void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      base_ = static_cast<const char*>(p);
      madvise(p, size, MADV_SEQUENTIAL);
    }
  }
  ~MappedFile() {
    if (base_) munmap(const_cast<char*>(base_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  bool ok() const { return base_ != nullptr; }
  std::string_view text() const { return {base_, size_}; }
  void Release(size_t from, size_t to) {
    static const size_t page = size_t(sysconf(_SC_PAGESIZE));
    uintptr_t b = reinterpret_cast<uintptr_t>(base_);
    uintptr_t lo = (b + from + page - 1) & ~(page - 1), hi = (b + std::min(to, size_)) & ~(page - 1);
    if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
  }

 private:
  const char* base_ = nullptr;
  size_t size_;
};

/// The model of a big ruleset takes about 6x the JSON's size, in many small allocations.
/// On a VM most of the load time then goes to page faults (issue 7: 0.6 s of sys time for
/// 280 MB). Backing the heap with transparent huge pages cuts the faults 500-fold and the
/// TLB misses with them (measured: user time 1.3 s -> 0.45 s on the 100k-rule dump). glibc
/// only does this itself with GLIBC_TUNABLES=glibc.malloc.hugetlb=1, which must be set
/// before the process starts, so: grow the heap once by the expected size and mark that
/// range MADV_HUGEPAGE (kernels with THP "never" ignore it). Pages are still only touched
/// when used, so the RSS stays what the model needs.
void PrepareHeap(size_t input_bytes) {
  constexpr size_t kMinInput = size_t(8) << 20;
  if (input_bytes < kMinInput) return;
  size_t want = std::min(input_bytes * 7, size_t(1) << 30);
  mallopt(M_TOP_PAD, int(want));
  mallopt(M_TRIM_THRESHOLD, int(want));
  // Vectors up to 32 MB (glibc's maximum) come from the heap too, so the probe below does
  // as well: it extends the brk heap by `want` more.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  void* probe = malloc((size_t(32) << 20) - 4096);
  if (probe) {
    static const uintptr_t page = uintptr_t(sysconf(_SC_PAGESIZE));
    uintptr_t lo = (reinterpret_cast<uintptr_t>(probe) + page - 1) & ~(page - 1);
    uintptr_t hi = reinterpret_cast<uintptr_t>(sbrk(0));
    if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
    free(probe);
  }
  mallopt(M_TOP_PAD, 128 << 10);  // glibc's default again for later growth
}

bool Blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

}  // namespace

void LoadNftJson(std::string_view text, const std::string& origin, Ruleset& out) {
  if (Blank(text)) throw InputError("empty file (expected nft -j list ruleset output)", SourceRef{origin, -1, -1});
  Load(text, origin, out);
}

void LoadNftJsonFile(const std::string& path, Ruleset& out) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open file", SourceRef{path, -1, -1});
  struct stat st {};
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    MappedFile map(fd, size_t(st.st_size));
    close(fd);
    if (map.ok()) {
      if (Blank(map.text())) throw InputError("empty file", SourceRef{path, -1, -1});
      PrepareHeap(map.text().size());
      Load(map.text(), path, out, [&map](size_t from, size_t to) { map.Release(from, to); });
      return;
    }
    fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError("cannot open file", SourceRef{path, -1, -1});
  }
  // Pipes, /dev/stdin, files that cannot be mapped: read them whole.
  std::string text;
  if (st.st_size > 0) text.reserve(size_t(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      throw InputError("read error", SourceRef{path, -1, -1});
    }
    if (n == 0) break;
    text.append(buf, size_t(n));
  }
  close(fd);
  if (Blank(text)) throw InputError("empty file", SourceRef{path, -1, -1});
  Load(text, path, out);
}

void ClassifyBackends(Ruleset& rs) {
  for (auto& t : rs.tables) {
    if (t.backend == Backend::kIptablesLegacy) continue;
    bool ipt = false;
    if (t.family == Family::kIp || t.family == Family::kIp6)
      ipt = t.name == "filter" || t.name == "nat" || t.name == "mangle" || t.name == "raw" || t.name == "security";
    else if (t.family == Family::kBridge)
      ipt = t.name == "filter" || t.name == "nat" || t.name == "broute";
    else if (t.family == Family::kArp)
      ipt = t.name == "filter";
    if (ipt) t.backend = Backend::kIptablesNft;
  }
}

}  // namespace nftc
