// IStr: an immutable, interned string of 8 bytes for the model's many repeated names
// (table/chain names, interface names, owners, comments, file paths). It reads like a
// `const std::string` (converts to `const std::string&` and `std::string_view`, has the
// const member functions callers use) and assigning to it interns the new text.
// Issue 7: a std::string member is 32 bytes plus a heap block per object; the model holds
// millions of them, most equal (e.g. every rule's source file).
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace nftc {

class IStr {
 public:
  using size_type = std::string::size_type;
  using value_type = char;
  using const_iterator = std::string::const_iterator;
  using iterator = std::string::const_iterator;
  static constexpr size_type npos = std::string::npos;

  IStr() noexcept : p_(&Empty()) {}
  IStr(const char* s) : p_(Intern(s ? std::string_view(s) : std::string_view())) {}
  IStr(std::string_view s) : p_(Intern(s)) {}
  IStr(const std::string& s) : p_(Intern(s)) {}
  IStr(const char* s, size_type n) : p_(Intern(std::string_view(s, n))) {}
  template <class It>
  IStr(It first, It last) : IStr(std::string(first, last)) {}
  IStr(size_type n, char c) : IStr(std::string(n, c)) {}

  IStr& operator=(const char* s) { return *this = IStr(s); }
  IStr& operator=(std::string_view s) { return *this = IStr(s); }
  IStr& operator=(const std::string& s) { return *this = IStr(s); }
  IStr& operator=(char c) { return *this = IStr(std::string_view(&c, 1)); }

  /// The interned text; valid for the life of the process.
  const std::string& str() const noexcept { return *p_; }
  operator const std::string&() const noexcept { return *p_; }
  operator std::string_view() const noexcept { return *p_; }

  // Read access, as std::string.
  bool empty() const noexcept { return p_->empty(); }
  size_type size() const noexcept { return p_->size(); }
  size_type length() const noexcept { return p_->size(); }
  const char* c_str() const noexcept { return p_->c_str(); }
  const char* data() const noexcept { return p_->data(); }
  const_iterator begin() const noexcept { return p_->begin(); }
  const_iterator end() const noexcept { return p_->end(); }
  const_iterator cbegin() const noexcept { return p_->cbegin(); }
  const_iterator cend() const noexcept { return p_->cend(); }
  auto rbegin() const noexcept { return p_->rbegin(); }
  auto rend() const noexcept { return p_->rend(); }
  char operator[](size_type i) const { return (*p_)[i]; }
  char at(size_type i) const { return p_->at(i); }
  char front() const { return p_->front(); }
  char back() const { return p_->back(); }
  template <class... A> size_type find(A&&... a) const { return p_->find(Fwd(std::forward<A>(a))...); }
  template <class... A> size_type rfind(A&&... a) const { return p_->rfind(Fwd(std::forward<A>(a))...); }
  template <class... A> size_type find_first_of(A&&... a) const { return p_->find_first_of(Fwd(std::forward<A>(a))...); }
  template <class... A> size_type find_last_of(A&&... a) const { return p_->find_last_of(Fwd(std::forward<A>(a))...); }
  template <class... A> size_type find_first_not_of(A&&... a) const {
    return p_->find_first_not_of(Fwd(std::forward<A>(a))...);
  }
  template <class... A> size_type find_last_not_of(A&&... a) const {
    return p_->find_last_not_of(Fwd(std::forward<A>(a))...);
  }
  template <class... A> int compare(A&&... a) const { return p_->compare(Fwd(std::forward<A>(a))...); }
  template <class A> bool starts_with(A&& a) const { return p_->starts_with(Fwd(std::forward<A>(a))); }
  template <class A> bool ends_with(A&& a) const { return p_->ends_with(Fwd(std::forward<A>(a))); }
  std::string substr(size_type pos = 0, size_type n = npos) const { return p_->substr(pos, n); }

  // Modification builds the new text and interns it.
  void clear() { p_ = &Empty(); }
  template <class A> IStr& operator+=(A&& a) { return Edit([&](std::string& s) { s += Fwd(std::forward<A>(a)); }); }
  template <class... A> IStr& append(A&&... a) { return Edit([&](std::string& s) { s.append(Fwd(std::forward<A>(a))...); }); }
  template <class... A> IStr& assign(A&&... a) { return Edit([&](std::string& s) { s.assign(Fwd(std::forward<A>(a))...); }); }
  template <class... A> IStr& insert(A&&... a) { return Edit([&](std::string& s) { s.insert(Fwd(std::forward<A>(a))...); }); }
  template <class... A> IStr& erase(A&&... a) { return Edit([&](std::string& s) { s.erase(Fwd(std::forward<A>(a))...); }); }
  template <class... A> IStr& replace(A&&... a) { return Edit([&](std::string& s) { s.replace(Fwd(std::forward<A>(a))...); }); }
  void push_back(char c) { Edit([&](std::string& s) { s.push_back(c); }); }
  void pop_back() { Edit([](std::string& s) { s.pop_back(); }); }
  void resize(size_type n, char c = '\0') { Edit([&](std::string& s) { s.resize(n, c); }); }
  void swap(IStr& o) noexcept { std::swap(p_, o.p_); }

  /// Equal texts are one object: comparing two IStr compares pointers.
  friend bool operator==(const IStr& a, const IStr& b) noexcept { return a.p_ == b.p_; }
  friend bool operator==(const IStr& a, const std::string& b) noexcept { return *a.p_ == b; }
  friend bool operator==(const IStr& a, std::string_view b) noexcept { return std::string_view(*a.p_) == b; }
  friend bool operator==(const IStr& a, const char* b) noexcept { return *a.p_ == b; }
  friend std::strong_ordering operator<=>(const IStr& a, const IStr& b) noexcept { return Cmp(*a.p_, *b.p_); }
  friend std::strong_ordering operator<=>(const IStr& a, const std::string& b) noexcept { return Cmp(*a.p_, b); }
  friend std::strong_ordering operator<=>(const IStr& a, std::string_view b) noexcept { return Cmp(*a.p_, b); }
  friend std::strong_ordering operator<=>(const IStr& a, const char* b) noexcept { return Cmp(*a.p_, b); }

  friend std::string operator+(const IStr& a, const IStr& b) { return *a.p_ + *b.p_; }
  friend std::string operator+(const IStr& a, const std::string& b) { return *a.p_ + b; }
  friend std::string operator+(const std::string& a, const IStr& b) { return a + *b.p_; }
  friend std::string operator+(std::string&& a, const IStr& b) { return std::move(a += *b.p_); }
  friend std::string operator+(const IStr& a, std::string_view b) { return std::string(*a.p_).append(b); }
  friend std::string operator+(std::string_view a, const IStr& b) { return std::string(a).append(*b.p_); }
  friend std::string operator+(const IStr& a, const char* b) { return *a.p_ + b; }
  friend std::string operator+(const char* a, const IStr& b) { return a + *b.p_; }
  friend std::string operator+(const IStr& a, char b) { return *a.p_ + b; }
  friend std::string operator+(char a, const IStr& b) { return a + *b.p_; }
  friend std::ostream& operator<<(std::ostream& o, const IStr& s) { return o << *s.p_; }

  /// Number of distinct strings interned so far and their bytes (for the bench breakdown).
  static size_t PoolCount();
  static size_t PoolBytes();

 private:
  static const std::string& Empty() noexcept;
  static const std::string* Intern(std::string_view s);
  static std::strong_ordering Cmp(std::string_view a, std::string_view b) noexcept {
    int c = a.compare(b);
    return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
  }
  // Lets an IStr argument reach std::string's members as the string it holds.
  template <class A> static decltype(auto) Fwd(A&& a) {
    if constexpr (std::is_same_v<std::decay_t<A>, IStr>) return static_cast<const std::string&>(a);
    else return std::forward<A>(a);
  }
  template <class F> IStr& Edit(F&& f) {
    std::string s = *p_;
    f(s);
    p_ = Intern(s);
    return *this;
  }

  const std::string* p_;
};

inline void swap(IStr& a, IStr& b) noexcept { a.swap(b); }

}  // namespace nftc

template <>
struct std::hash<nftc::IStr> {
  size_t operator()(const nftc::IStr& s) const noexcept { return std::hash<std::string_view>()(s); }
};
