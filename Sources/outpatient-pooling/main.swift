// outpatient-pooling: the command-line wrapper. It only wires the process's streams to the tool.
import PoolingCLI

Platform.ignoreBrokenPipeSignal()
Platform.catchStopSignals()
var tool = Tool(
  stdin: FileDescriptorStream(fd: 0, name: "standard input"),
  stdout: FileDescriptorStream(fd: 1, name: "standard output"),
  stderr: FileDescriptorStream(fd: 2, name: "standard error"))
Platform.exit(tool.run(Array(CommandLine.arguments.dropFirst())).rawValue)
