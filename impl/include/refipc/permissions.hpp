// Permissions given to named resources when they are created.
#ifndef REFIPC_PERMISSIONS_HPP_
#define REFIPC_PERMISSIONS_HPP_

namespace refipc {

// Unix permission bits (as for chmod).
//
// The default is owner-only: a default-constructed object (or one reset with
// set_default()) holds 0600, and creation narrows it by the process umask as
// open(2) does. This departs from the manual's 0644 (and Boost's), which lets
// every local user read the contents; pass permissions(0644) to get that.
// Explicit permissions (a value given to the constructor or
// set_permissions(), or set_unrestricted()'s 0666) are applied exactly,
// whatever the umask.
//
// On Windows, the default (like any value that grants nothing to others)
// keeps the process's default security, and anything granting access to
// others gives everyone access.
class permissions {
 public:
  using os_permissions_type = int;

  // Implicit so that a raw mode such as 0600 can be passed where permissions
  // are expected.
  permissions(os_permissions_type perm) noexcept : perm_(perm), is_default_(false) {}
  permissions() noexcept = default;

  void set_default() noexcept {
    perm_ = kDefault;
    is_default_ = true;
  }
  void set_unrestricted() noexcept { set_permissions(kUnrestricted); }
  void set_permissions(os_permissions_type perm) noexcept {
    perm_ = perm;
    is_default_ = false;
  }
  os_permissions_type get_permissions() const noexcept { return perm_; }

  // Beyond the manual: whether this holds the default, which creation narrows
  // by the umask, rather than explicit permissions, which it applies exactly.
  bool is_default() const noexcept { return is_default_; }

 private:
  static constexpr os_permissions_type kDefault = 0600;
  static constexpr os_permissions_type kUnrestricted = 0666;

  os_permissions_type perm_ = kDefault;
  bool is_default_ = true;
};

}  // namespace refipc

#endif  // REFIPC_PERMISSIONS_HPP_
