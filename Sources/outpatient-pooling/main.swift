// outpatient-pooling: the command-line wrapper. It only wires the process's streams to the tool.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import PoolingCLI

// A closed pipe is reported as EPIPE on write (the tool then stops quietly) instead of killing the process.
signal(SIGPIPE, SIG_IGN)

var tool = Tool(
  stdin: FileDescriptorStream(fd: 0, name: "standard input"),
  stdout: FileDescriptorStream(fd: 1, name: "standard output"),
  stderr: FileDescriptorStream(fd: 2, name: "standard error"))
exit(tool.run(Array(CommandLine.arguments.dropFirst())).rawValue)
