// nft JSON -> model: tables, chains, rules, sets, maps, flowtables.
#include "load/load_json.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "load/json_expr.h"
#include "load/json_stream.h"
#include "load/symbols.h"
#include "nftc/error.h"

namespace nftc {

namespace {

using json = nlohmann::json;

/// The JSON schema versions this build understands (nft's metainfo.json_schema_version).
constexpr int kKnownSchemaVersion = 1;

const json* Member(const json& j, const char* k) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(k);
  return it == j.end() ? nullptr : &*it;
}

class Loader {
 public:
  Loader(const std::string& origin, Ruleset& rs) : origin_(origin), rs_(rs) {}

  void Item(size_t index, json&& item) {
    SourceRef where{origin_, static_cast<int64_t>(index), -1};
    if (!item.is_object() || item.size() != 1) Fail(where, "item is not an object with one member");
    const std::string& kind = item.begin().key();
  const json& body = item.begin().value();
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

  void Elem(size_t index, std::string_view kind, const json& header, json&& elem) {
    SourceRef where{origin_, static_cast<int64_t>(index), -1};
    Set* set = PendingSet(index, kind, header, where);
    ExprContext ctx = Ctx(where, header);
    set->elems.push_back(ConvertElem(elem, *set, ctx));
  }

 private:
  [[noreturn]] void Fail(const SourceRef& where, const std::string& msg) { throw InputError(msg, where); }

  std::string Req(const json& j, const char* k, const SourceRef& where) {
    const json* m = Member(j, k);
    if (!m || !m->is_string()) Fail(where, std::string("missing or non-string \"") + k + "\"");
    return m->get<std::string>();
  }
  uint64_t Handle(const json& j) {
    const json* h = Member(j, "handle");
    return h && h->is_number_unsigned() ? h->get<uint64_t>() : 0;
  }
  std::string Comment(const json& j) {
    const json* c = Member(j, "comment");
    return c && c->is_string() ? c->get<std::string>() : std::string();
  }
  Family Fam(const json& j, const SourceRef& where) {
    std::string f = Req(j, "family", where);
    auto fam = ParseFamily(f);
    if (!fam) Fail(where, "unknown family \"" + f + "\"");
    return *fam;
  }

  Table& FindTable(const json& j, const SourceRef& where) {
    Family f = Fam(j, where);
    std::string name = Req(j, "table", where);
    auto it = tables_.find(Key(f, name));
    if (it == tables_.end()) Fail(where, "refers to table " + std::string(ToString(f)) + " " + name + ", which is not defined before it");
    return rs_.tables[it->second];
  }
  static std::string Key(Family f, const std::string& name) { return std::string(ToString(f)) + "\x1f" + name; }

  ExprContext Ctx(const SourceRef& where, const json& j) {
    ExprContext ctx;
    ctx.where = &where;
    ctx.notes = &rs_.notes;
    const json* f = Member(j, "family");
    if (f && f->is_string()) {
      ctx.family = f->get<std::string>();
      if (auto fam = ParseFamily(ctx.family)) ctx.fam = *fam;
    }
    const json* t = Member(j, "table");
    if (t && t->is_string()) ctx.table = t->get<std::string>();
    const json* c = Member(j, "chain");
    if (c && c->is_string()) ctx.chain = c->get<std::string>();
    ctx.handle = Handle(j);
    return ctx;
  }

  void Metainfo(const json& j, const SourceRef& where) {
    if (const json* v = Member(j, "version"); v && v->is_string()) rs_.nft_version = v->get<std::string>();
    if (const json* s = Member(j, "json_schema_version")) {
      if (!s->is_number_integer()) Fail(where, "json_schema_version is not a number");
      rs_.json_schema_version = s->get<int>();
      if (rs_.json_schema_version != kKnownSchemaVersion)
        Fail(where, "unsupported json_schema_version " + std::to_string(rs_.json_schema_version) +
                        " (this build of nft-coexist reads version " + std::to_string(kKnownSchemaVersion) + ")");
    }
  }

  void AddTable(const json& j, const SourceRef& where) {
    Table t;
    t.family = Fam(j, where);
    t.name = Req(j, "name", where);
    t.handle = Handle(j);
    t.comment = Comment(j);
    t.src = where;
    if (const json* fl = Member(j, "flags")) {
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

  void AddChain(const json& j, const SourceRef& where) {
    Table& t = FindTable(j, where);
    Chain c;
    c.name = Req(j, "name", where);
    c.handle = Handle(j);
    c.comment = Comment(j);
    c.src = where;
    if (const json* hook = Member(j, "hook")) {
      if (!hook->is_string()) Fail(where, "chain hook is not a string");
      auto h = ParseHook(hook->get<std::string>());
      if (!h) Fail(where, "chain " + c.name + ": unknown hook \"" + hook->get<std::string>() + "\"");
      c.base = true;
      c.hook = *h;
      std::string type = Member(j, "type") && (*Member(j, "type")).is_string() ? (*Member(j, "type")).get<std::string>() : "filter";
      auto ct = ParseChainType(type);
      if (!ct) Fail(where, "chain " + c.name + ": unknown type \"" + type + "\"");
      c.type = *ct;
      const json* prio = Member(j, "prio");
      if (!prio) Fail(where, "base chain " + c.name + " has no priority");
      if (prio->is_number_integer()) {
        int64_t p = prio->get<int64_t>();
        if (p < INT32_MIN || p > INT32_MAX) Fail(where, "chain " + c.name + ": priority out of range");
        c.prio = static_cast<int32_t>(p);
      } else {
        // nft's own output always gives numbers; hand-written JSON may not.
        Fail(where, "chain " + c.name + ": priority is not a number: " + prio->dump());
      }
      if (const json* pol = Member(j, "policy"); pol && pol->is_string())
        c.policy = pol->get<std::string>() == "drop" ? Policy::kDrop : Policy::kAccept;
      if (const json* dev = Member(j, "dev")) {
        if (dev->is_string()) c.devices.push_back(dev->get<std::string>());
        else if (dev->is_array())
          for (const auto& d : *dev)
            if (d.is_string()) c.devices.push_back(d.get<std::string>());
      }
    }
    if (t.FindChain(c.name)) Fail(where, "chain " + c.name + " defined twice in table " + t.Id());
    t.chain_index.emplace(c.name, static_cast<uint32_t>(t.chains.size()));
    t.chains.push_back(std::move(c));
  }

  void AddRule(const json& j, const SourceRef& where) {
    Table& t = FindTable(j, where);
    std::string cname = Req(j, "chain", where);
    Chain* c = t.FindChain(cname);
    if (!c) Fail(where, "rule refers to chain " + cname + ", which is not defined in table " + t.Id());
    Rule r;
    r.handle = Handle(j);
    r.comment = Comment(j);
    r.src = where;
    r.position = static_cast<int32_t>(c->rules.size());
    const json* expr = Member(j, "expr");
    if (!expr || !expr->is_array()) Fail(where, "rule without an \"expr\" array");
    ExprContext ctx = Ctx(where, j);
    ctx.sets = &t.sets;
    r.stmts.reserve(expr->size());
    for (const auto& st : *expr) r.stmts.push_back(ConvertStmt(st, ctx));
    c->rules.push_back(std::move(r));
  }

  /// The set currently receiving streamed elements (created from the header on first use).
  Set* PendingSet(size_t index, std::string_view kind, const json& header, const SourceRef& where) {
    if (pending_index_ == index && pending_) return pending_;
    Table& t = FindTable(header, where);
    std::string name = Req(header, "name", where);
    Set* s = t.FindSet(name);
    if (kind == "element") {
      if (!s) Fail(where, "elements for set " + name + ", which is not defined in table " + t.Id());
    } else {
      if (s) Fail(where, "set " + name + " defined twice in table " + t.Id());
      t.set_index.emplace(name, static_cast<uint32_t>(t.sets.size()));
      t.sets.emplace_back();
      s = &t.sets.back();
      FillSetHeader(*s, kind, header, where);
    }
    pending_index_ = index;
    pending_ = s;
    return s;
  }

  static std::vector<DataType> Types(const json* j) {
    std::vector<DataType> out;
    if (!j) return out;
    if (j->is_string()) out.push_back(ParseDataTypeName(j->get<std::string>()));
    else if (j->is_array())
      for (const auto& t : *j) out.push_back(t.is_string() ? ParseDataTypeName(t.get<std::string>()) : DataType::kUnknown);
    return out;
  }

  void FillSetHeader(Set& s, std::string_view kind, const json& j, const SourceRef& where) {
    s.name = Req(j, "name", where);
    s.handle = Handle(j);
    s.comment = Comment(j);
    s.src = where;
    s.is_map = kind == "map";
    s.key = Types(Member(j, "type"));
    if (s.key.empty()) {
      // "typeof" sets: derive the type from the expression.
      if (const json* tof = Member(j, "typeof")) {
        ExprContext ctx = Ctx(where, j);
        Expr e = ConvertExpr(*tof, DataType::kUnknown, ctx);
        if (e.kind == ExprKind::kConcat)
          for (const auto& k : e.kids) s.key.push_back(k.type);
        else
          s.key.push_back(e.type);
      }
    }
    if (s.is_map) s.data = Types(Member(j, "map"));
    if (const json* fl = Member(j, "flags")) {
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

  void FinishSet(size_t index, const std::string& kind, const json& body, const SourceRef& where) {
    PendingSet(index, kind, body, where);  // creates the set when it had no elements
    pending_ = nullptr;
    pending_index_ = SIZE_MAX;
  }

  void AddFlowtable(const json& j, const SourceRef& where) {
    Table& t = FindTable(j, where);
    Flowtable f;
    f.name = Req(j, "name", where);
    f.handle = Handle(j);
    f.src = where;
    if (const json* p = Member(j, "prio"); p && p->is_number_integer()) f.prio = p->get<int32_t>();
    if (const json* dev = Member(j, "dev")) {
      if (dev->is_string()) f.devices.push_back(dev->get<std::string>());
      else if (dev->is_array())
        for (const auto& d : *dev)
          if (d.is_string()) f.devices.push_back(d.get<std::string>());
    }
    t.flowtables.push_back(std::move(f));
  }

  std::string origin_;
  Ruleset& rs_;
  std::unordered_map<std::string, size_t> tables_;
  Set* pending_ = nullptr;
  size_t pending_index_ = SIZE_MAX;
};

}  // namespace

void LoadNftJson(std::string_view text, const std::string& origin, Ruleset& out) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InputError("empty file (expected nft -j list ruleset output)", SourceRef{origin, -1, -1});
  Loader loader(origin, out);
  JsonStreamCallbacks cb;
  cb.on_item = [&](size_t i, json&& item) { loader.Item(i, std::move(item)); };
  cb.on_elem = [&](size_t i, std::string_view kind, const json& header, json&& elem) {
    loader.Elem(i, kind, header, std::move(elem));
  };
  StreamNftJson(text, origin, cb);
}

void LoadNftJsonFile(const std::string& path, Ruleset& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw InputError("cannot open file", SourceRef{path, -1, -1});
  std::stringstream ss;
  ss << f.rdbuf();
  if (f.bad()) throw InputError("read error", SourceRef{path, -1, -1});
  LoadNftJson(ss.str(), path, out);
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
