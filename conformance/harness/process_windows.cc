// Child processes and pipes on Windows: CreateProcess of this binary in a
// child role, anonymous pipes for the child's output and for Pipe. Windows
// has no fork, so there is no fork_child; an anonymous pipe cannot be waited
// on, so reads poll it (PeekNamedPipe) between waits of at most 10 ms, and
// every wait stays bounded by its deadline.
#include <windows.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "conformance/harness/process.hpp"
#include "conformance/harness/process_internal.hpp"

namespace ipc_test {
namespace {

using process_internal::flush_all;
using process_internal::kMaxCapturedOutput;
using process_internal::milliseconds_until;

// Exit code of a child that wait() killed at its timeout.
constexpr UINT kTimedOutExitCode = 0x7e;

std::runtime_error system_failure(const std::string& what, DWORD error = GetLastError()) {
  return std::runtime_error(what + ": Windows error " + std::to_string(error));
}

HANDLE handle_of(std::intptr_t end) { return reinterpret_cast<HANDLE>(end); }
std::intptr_t end_of(HANDLE handle) { return reinterpret_cast<std::intptr_t>(handle); }

enum class read_state { data, empty, closed };

// Appends what `pipe` holds now, without blocking, to `out` (up to `limit`
// bytes kept); `closed` once every writer has closed its end and the pipe is
// empty.
read_state read_available(HANDLE pipe, std::string& out, std::size_t limit) {
  read_state state = read_state::empty;
  for (;;) {
    DWORD available = 0;
    if (!PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr)) {
      const DWORD error = GetLastError();
      if (error == ERROR_BROKEN_PIPE) return state == read_state::data ? state : read_state::closed;
      throw system_failure("PeekNamedPipe", error);
    }
    if (available == 0) return state;
    char buffer[4096];
    DWORD n = 0;
    if (!ReadFile(pipe, buffer, std::min<DWORD>(available, sizeof buffer), &n, nullptr)) {
      throw system_failure("ReadFile");
    }
    if (out.size() < limit) out.append(buffer, n);
    state = read_state::data;
  }
}

// The command line that passes `arguments` unchanged to a C or C++ main():
// each argument quoted, backslashes doubled before a quote.
std::string command_line(const std::vector<std::string>& arguments) {
  std::string line;
  for (const auto& a : arguments) {
    if (!line.empty()) line += ' ';
    line += '"';
    std::size_t backslashes = 0;
    for (char c : a) {
      if (c == '\\') {
        ++backslashes;
        continue;
      }
      line.append(c == '"' ? 2 * backslashes + 1 : backslashes, '\\');
      backslashes = 0;
      line += c;
    }
    line.append(2 * backslashes, '\\');
    line += '"';
  }
  return line;
}

std::wstring wide(const std::string& text) {
  if (text.empty()) return {};
  const int n =
      MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), n);
  return out;
}

std::string utf8(const std::wstring& text) {
  if (text.empty()) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr,
                                    0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), n,
                      nullptr, nullptr);
  return out;
}

// The path of this program. Bazel's runfiles paths often pass MAX_PATH,
// beyond which a program cannot be started (wine refuses even the "\\?\"
// form): then the path relative to the current directory, which the child
// inherits, when that is shorter.
std::wstring this_executable() {
  std::wstring path(32768, L'\0');
  const DWORD length = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
  if (length == 0 || length >= path.size()) throw system_failure("GetModuleFileName");
  path.resize(length);
  if (path.size() < MAX_PATH) return path;
  std::wstring directory(32768, L'\0');
  const DWORD n = GetCurrentDirectoryW(static_cast<DWORD>(directory.size()), directory.data());
  if (n == 0 || n >= directory.size()) return path;
  directory.resize(n);
  if (directory.back() != L'\\') directory += L'\\';
  if (path.size() > directory.size() &&
      CompareStringOrdinal(path.c_str(), static_cast<int>(directory.size()), directory.c_str(),
                           static_cast<int>(directory.size()), TRUE) == CSTR_EQUAL) {
    return path.substr(directory.size());
  }
  return path;
}

void set_inheritable(HANDLE handle, bool inheritable) {
  if (!SetHandleInformation(handle, HANDLE_FLAG_INHERIT, inheritable ? HANDLE_FLAG_INHERIT : 0)) {
    throw system_failure("SetHandleInformation");
  }
}

// Owns a handle for the length of a scope.
struct scoped_handle {
  HANDLE handle = nullptr;
  ~scoped_handle() {
    if (handle != nullptr && handle != INVALID_HANDLE_VALUE) CloseHandle(handle);
  }
};

}  // namespace

Child::Child(pid_t pid, void* process, void* output)
    : pid_(pid), process_(process), output_(output) {}

Child::Child(Child&& other) noexcept
    : pid_(other.pid_),
      process_(other.process_),
      output_(other.output_),
      killed_by_(other.killed_by_),
      reaped_(other.reaped_) {
  other.process_ = nullptr;
  other.output_ = nullptr;
  other.reaped_ = true;
}

Child::~Child() {
  if (!reaped_ && process_ != nullptr) {
    TerminateProcess(process_, kTimedOutExitCode);
    WaitForSingleObject(process_, INFINITE);  // ends promptly once terminated
  }
  if (process_ != nullptr) CloseHandle(process_);
  if (output_ != nullptr) CloseHandle(output_);
}

void Child::kill(int sig) {
  if (reaped_ || killed_by_ != 0) return;
  if (TerminateProcess(process_, 128 + static_cast<UINT>(sig))) killed_by_ = sig;
}

ChildResult Child::wait(std::chrono::milliseconds timeout) {
  if (reaped_) throw std::logic_error("Child::wait called twice");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string output;
  bool output_open = output_ != nullptr;
  bool timed_out = false;
  for (;;) {
    if (output_open) {
      output_open = read_available(output_, output, kMaxCapturedOutput) != read_state::closed;
    }
    const auto remaining = milliseconds_until(deadline);
    const DWORD wait_ms = static_cast<DWORD>(std::max<long long>(
        0, std::min<long long>(remaining.count(), output_open ? 10 : remaining.count())));
    const DWORD state = WaitForSingleObject(process_, wait_ms);
    if (state == WAIT_OBJECT_0) break;
    if (state != WAIT_TIMEOUT) throw system_failure("WaitForSingleObject");
    if (milliseconds_until(deadline).count() <= 0) {
      timed_out = true;
      TerminateProcess(process_, kTimedOutExitCode);
      WaitForSingleObject(process_, INFINITE);
      break;
    }
  }
  reaped_ = true;
  // Grandchildren may keep the pipe open: take what is there (non-blocking).
  if (output_open) read_available(output_, output, kMaxCapturedOutput);
  DWORD code = 0;
  if (!GetExitCodeProcess(process_, &code)) throw system_failure("GetExitCodeProcess");
  ChildResult result;
  result.timed_out = timed_out;
  if (killed_by_ != 0) {
    result.signal = killed_by_;
  } else {
    result.exited = true;
    result.exit_code = static_cast<int>(code);
  }
  result.output = std::move(output);
  return result;
}

std::string spawn_method() { return "CreateProcess"; }

Child spawn_role(const std::string& role, const std::vector<std::string>& args) {
  std::vector<std::string> arguments = process_internal::role_arguments(role, args);
  const std::wstring self = this_executable();
  arguments.insert(arguments.begin(), utf8(self));
  std::wstring line = wide(command_line(arguments));

  // The child's stdout and stderr: the write end of a new pipe.
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  scoped_handle output_read;
  scoped_handle output_write;
  if (!CreatePipe(&output_read.handle, &output_write.handle, &inherit, 1 << 16)) {
    throw system_failure("CreatePipe");
  }
  set_inheritable(output_read.handle, false);
  scoped_handle input;
  input.handle = CreateFileA("NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                             OPEN_EXISTING, 0, nullptr);
  if (input.handle == INVALID_HANDLE_VALUE) throw system_failure("open NUL");

  // Exactly these handles are inherited, whatever else is inheritable now.
  std::vector<HANDLE> inherited{output_write.handle, input.handle};
  for (std::intptr_t end : process_internal::pipe_ends_named_in(args)) {
    inherited.push_back(handle_of(end));
  }
  SIZE_T list_bytes = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &list_bytes);
  std::vector<char> list_storage(list_bytes);
  auto* list = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(list_storage.data());
  if (!InitializeProcThreadAttributeList(list, 1, 0, &list_bytes)) {
    throw system_failure("InitializeProcThreadAttributeList");
  }
  struct list_guard {
    LPPROC_THREAD_ATTRIBUTE_LIST list;
    ~list_guard() { DeleteProcThreadAttributeList(list); }
  } guard{list};
  if (!UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherited.data(),
                                 inherited.size() * sizeof(HANDLE), nullptr, nullptr)) {
    throw system_failure("UpdateProcThreadAttribute");
  }
  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = input.handle;
  startup.StartupInfo.hStdOutput = output_write.handle;
  startup.StartupInfo.hStdError = output_write.handle;
  startup.lpAttributeList = list;

  // Handles in the list must be inheritable while the child starts.
  const std::vector<HANDLE> pipe_handles(inherited.begin() + 2, inherited.end());
  for (HANDLE h : pipe_handles) set_inheritable(h, true);
  flush_all();
  PROCESS_INFORMATION info{};
  const BOOL started =
      CreateProcessW(self.c_str(), line.data(), nullptr, nullptr, TRUE,
                     EXTENDED_STARTUPINFO_PRESENT, nullptr, nullptr, &startup.StartupInfo, &info);
  const DWORD error = GetLastError();
  for (HANDLE h : pipe_handles) set_inheritable(h, false);
  if (!started) throw system_failure("CreateProcess " + arguments[0], error);
  CloseHandle(info.hThread);
  HANDLE output = output_read.handle;
  output_read.handle = nullptr;  // owned by the Child from here
  return Child(static_cast<pid_t>(info.dwProcessId), info.hProcess, output);
}

Pipe::Pipe() {
  HANDLE read_end = nullptr, write_end = nullptr;
  if (!CreatePipe(&read_end, &write_end, nullptr, 1 << 16)) throw system_failure("CreatePipe");
  read_end_ = end_of(read_end);
  write_end_ = end_of(write_end);
  process_internal::pipe_ends().insert({read_end_, write_end_});
}

Pipe::Pipe(std::intptr_t read_end, std::intptr_t write_end)
    : read_end_(read_end), write_end_(write_end) {
  // Inherited from the parent: not passed on to this role's own children.
  for (std::intptr_t end : {read_end_, write_end_}) {
    set_inheritable(handle_of(end), false);
    process_internal::pipe_ends().insert(end);
  }
}

void Pipe::close_end(std::intptr_t& end) {
  if (end < 0) return;
  process_internal::pipe_ends().erase(end);
  CloseHandle(handle_of(end));
  end = -1;
}

void Pipe::send(const std::string& line) {
  if (write_end_ < 0) throw std::logic_error("Pipe::send on a pipe this process receives from");
  close_end(read_end_);
  const std::string data = line + "\n";
  std::size_t written = 0;
  while (written < data.size()) {
    DWORD n = 0;
    if (!WriteFile(handle_of(write_end_), data.data() + written,
                   static_cast<DWORD>(data.size() - written), &n, nullptr)) {
      const DWORD error = GetLastError();
      if (error == ERROR_NO_DATA || error == ERROR_BROKEN_PIPE) {
        throw PipeClosed("pipe closed by every reader");
      }
      throw system_failure("write to pipe", error);
    }
    written += n;
  }
}

std::string Pipe::receive(std::chrono::milliseconds timeout) {
  if (read_end_ < 0) throw std::logic_error("Pipe::receive on a pipe this process sends on");
  close_end(write_end_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto newline = buffered_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffered_.substr(0, newline);
      buffered_.erase(0, newline + 1);
      return line;
    }
    const read_state state = read_available(handle_of(read_end_), buffered_, std::string::npos);
    if (state == read_state::closed) throw PipeClosed("pipe closed by every writer");
    if (state == read_state::data) continue;
    if (milliseconds_until(deadline).count() <= 0) throw PipeTimeout("timed out waiting on pipe");
    Sleep(1);
  }
}

}  // namespace ipc_test
