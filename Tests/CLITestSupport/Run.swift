// Test targets that drive the command line import this; it brings the shared helpers with it.
@_exported import PoolingTestSupport
import PoolingCLI

/// Runs the tool in-process over memory streams.
package func run(_ arguments: [String], stdin: [UInt8] = [], chunk: Int = .max) -> (status: ExitStatus, stdout: String, stderr: String) {
  let out = MemorySink(), err = MemorySink()
  var tool = Tool(stdin: MemorySource(stdin, chunk: chunk), stdout: out, stderr: err)
  let status = tool.run(arguments)
  return (status, out.text, err.text)
}

/// Runs the tool in-process with `stdin` as its standard input.
package func run(_ arguments: [String], stdin: String) -> (status: ExitStatus, stdout: String, stderr: String) {
  run(arguments, stdin: Array(stdin.utf8))
}
