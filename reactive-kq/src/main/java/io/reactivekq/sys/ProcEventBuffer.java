package io.reactivekq.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The messages of the kernel's process-event connector (netlink NETLINK_CONNECTOR, group
 * CN_IDX_PROC): one buffer for the control message we send (listen / ignore) and one for a
 * received datagram, which holds one {@code nlmsghdr + cn_msg + proc_event}.
 */
public final class ProcEventBuffer {
    public static final int CN_IDX_PROC = 1;
    private static final int CN_VAL_PROC = 1;
    private static final int NLMSG_DONE = 3;
    private static final int OP_LISTEN = 1;
    private static final int OP_IGNORE = 2;

    public static final int EVENT_NONE = 0;
    public static final int EVENT_FORK = 0x1;
    public static final int EVENT_EXEC = 0x2;
    public static final int EVENT_EXIT = 0x80000000;

    // nlmsghdr (16) + cn_msg (20: idx, val, seq, ack, len u16, flags u16) + proc_event.
    private static final int CN_OFFSET = 16;
    private static final int EVENT_OFFSET = 36;
    /** proc_event: what u32, cpu u32, timestamp u64, then the event's union. */
    private static final int DATA_OFFSET = EVENT_OFFSET + 16;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    final MemorySegment out;
    final MemorySegment in;
    int limit;

    public ProcEventBuffer(NativeArena arena) {
        this.out = arena.allocate(64, 8);
        this.in = arena.allocate(4096, 8);
    }

    /**
     * Fills the control message asking to start (or stop) receiving events; returns its length.
     * The kernel answers a listen request with an acknowledgement whose {@link #ack()} is
     * {@code token + 1} (it numbers the messages itself, so the sequence cannot match them).
     */
    public int control(boolean listen, int token) {
        int len = EVENT_OFFSET + 4;
        out.fill((byte) 0);
        out.set(INT, 0, len);
        out.set(ValueLayout.JAVA_SHORT_UNALIGNED, 4, (short) NLMSG_DONE);
        out.set(INT, CN_OFFSET, CN_IDX_PROC);
        out.set(INT, CN_OFFSET + 4, CN_VAL_PROC);
        out.set(INT, CN_OFFSET + 12, token);
        out.set(ValueLayout.JAVA_SHORT_UNALIGNED, CN_OFFSET + 16, (short) 4);
        out.set(INT, EVENT_OFFSET, listen ? OP_LISTEN : OP_IGNORE);
        return len;
    }

    /** True when the received datagram is a whole process-connector message. */
    public boolean isProcEvent() {
        return limit >= DATA_OFFSET + 8 && in.get(INT, CN_OFFSET) == CN_IDX_PROC
            && in.get(INT, CN_OFFSET + 4) == CN_VAL_PROC;
    }

    /** PROC_EVENT_* of the received message. */
    public int what() {
        return in.get(INT, EVENT_OFFSET);
    }

    /** The cn_msg ack field: an acknowledgement carries the request's token plus one. */
    public int ack() {
        return in.get(INT, CN_OFFSET + 12);
    }

    /** PROC_EVENT_NONE acknowledgement: the errno of the request (0 on success). */
    public int ackError() {
        return in.get(INT, DATA_OFFSET);
    }

    /** FORK: the forking process (thread-group id). */
    public int forkParentTgid() {
        return in.get(INT, DATA_OFFSET + 4);
    }

    /** FORK: the new task's id. */
    public int forkChildPid() {
        return in.get(INT, DATA_OFFSET + 8);
    }

    /** FORK: the new task's thread-group id; equal to its id for a new process, not a thread. */
    public int forkChildTgid() {
        return in.get(INT, DATA_OFFSET + 12);
    }

    /** EXEC and EXIT: the task's id. */
    public int processPid() {
        return in.get(INT, DATA_OFFSET);
    }

    /** EXEC and EXIT: the task's thread-group id. */
    public int processTgid() {
        return in.get(INT, DATA_OFFSET + 4);
    }

    /** EXIT: the wait status. */
    public int exitCode() {
        return in.get(INT, DATA_OFFSET + 8);
    }
}
