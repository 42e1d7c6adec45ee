import CKernels

/// Settings that belong to a whole program, not to a library call.
@_spi(Internals) public enum ProcessMemory {
    /// Makes the process keep freed memory for reuse (glibc's allocator otherwise returns the
    /// big buffers of every training batch to the kernel and maps them again). It changes the
    /// allocator of the whole process, so only a program's entry point may call it; the
    /// library never does.
    public static func keepFreedMemoryForReuse() {
        ckernels_keep_freed_memory()
    }
}
