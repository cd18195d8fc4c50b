package io.reactivekq.sys;

import static io.reactivekq.sys.Native.C_INT;
import static io.reactivekq.sys.Native.C_LONG;
import static io.reactivekq.sys.Native.C_POINTER;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * A snapshot of the inode attributes EVFILT_VNODE compares to tell what an inotify record
 * means: size (NOTE_EXTEND), link count (NOTE_LINK, NOTE_DELETE) and owner and mode
 * (NOTE_ATTRIB). {@link LinuxSys.FileStat} lacks the owner, so this reads its own statx.
 * Times are left out on purpose: writes and reads move them too.
 */
public final class FileAttrs {
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final MethodHandle STATX = Native.errnoCall("statx",
        FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT, C_POINTER));

    public int mode;
    public int nlink;
    public int uid;
    public int gid;
    public long size;

    /** Reads the attributes of an open fd; 0 or -errno. */
    public int read(int fd) {
        MemorySegment s = Scratch.get();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = Native.callState();
            int r = (int) Native.result((int) STATX.invokeExact(st, fd, a.allocateFrom(""), LinuxSys.AT_EMPTY_PATH,
                STATX_BASIC_STATS, s), st);
            if (r == 0) {
                // struct statx: nlink @16, uid @20, gid @24, mode @28 (u16), size @40.
                nlink = s.get(C_INT, 16);
                uid = s.get(C_INT, 20);
                gid = s.get(C_INT, 24);
                mode = s.get(Native.C_SHORT, 28) & 0xffff;
                size = s.get(C_LONG, 40);
            }
            return r;
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** True when chmod or chown made a difference between the two snapshots. */
    public boolean ownerOrModeDiffer(FileAttrs o) {
        return mode != o.mode || uid != o.uid || gid != o.gid;
    }

    public boolean isCharDevice() {
        return (mode & LinuxSys.S_IFMT) == 0020000;
    }

    public boolean isDirectory() {
        return (mode & LinuxSys.S_IFMT) == LinuxSys.S_IFDIR;
    }
}
