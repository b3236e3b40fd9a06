// Permissions given to named resources when they are created.
#ifndef REFIPC_PERMISSIONS_HPP_
#define REFIPC_PERMISSIONS_HPP_

namespace refipc {

// Unix permission bits (as for chmod). Creation applies them exactly, whatever
// the process umask is.
class permissions {
 public:
  using os_permissions_type = int;

  // Implicit so that a raw mode such as 0600 can be passed where permissions
  // are expected.
  permissions(os_permissions_type perm) noexcept : perm_(perm) {}
  permissions() noexcept = default;

  void set_default() noexcept { perm_ = kDefault; }
  void set_unrestricted() noexcept { perm_ = kUnrestricted; }
  void set_permissions(os_permissions_type perm) noexcept { perm_ = perm; }
  os_permissions_type get_permissions() const noexcept { return perm_; }

 private:
  static constexpr os_permissions_type kDefault = 0644;
  static constexpr os_permissions_type kUnrestricted = 0666;

  os_permissions_type perm_ = kDefault;
};

}  // namespace refipc

#endif  // REFIPC_PERMISSIONS_HPP_
