package io.reactivekq.linux;

import io.reactivekq.kqueue.Ev;
import io.reactivekq.kqueue.EvFilt;
import io.reactivekq.kqueue.KEvent;
import io.reactivekq.kqueue.Note;

/**
 * EVFILT_USER: an event the application triggers itself. NOTE_TRIGGER fires it; the
 * NOTE_FF* control bits combine the low 24 bits of fflags into the saved ones; the delivered
 * event carries the saved fflags and the last change's data. Without EV_CLEAR it stays
 * triggered.
 */
final class UserFilter implements FilterOps {

    @Override
    public int attach(LinuxKQueue kq, Knote kn) {
        if ((kn.sfflags & Note.TRIGGER) != 0) kn.flags |= Knote.USER_TRIGGERED;
        kn.sfflags &= Note.FFLAGSMASK;
        return 0;
    }

    @Override
    public void detach(LinuxKQueue kq, Knote kn) {}

    @Override
    public boolean event(LinuxKQueue kq, Knote kn, long hint) {
        return kn.has(Knote.USER_TRIGGERED);
    }

    @Override
    public int modify(LinuxKQueue kq, Knote kn, KEvent change) {
        int ff = change.fflags();
        if ((ff & Note.TRIGGER) != 0) kn.flags |= Knote.USER_TRIGGERED;
        int bits = ff & Note.FFLAGSMASK;
        switch (ff & Note.FFCTRLMASK) {
            case Note.FFAND -> kn.sfflags &= bits;
            case Note.FFOR -> kn.sfflags |= bits;
            case Note.FFCOPY -> kn.sfflags = bits;
            default -> { } // NOTE_FFNOP
        }
        kn.sdata = change.data();
        if ((change.flags() & Ev.CLEAR) != 0) {
            // BSD compatibility: EV_CLEAR in a modification resets the trigger.
            kn.flags &= ~Knote.USER_TRIGGERED;
            kn.data = 0;
            kn.fflags = 0;
        }
        return 0;
    }

    @Override
    public KEvent deliver(Knote kn) {
        return new KEvent(kn.ident, EvFilt.USER, kn.eventFlags(), kn.sfflags, kn.sdata, kn.udata,
            kn.ext0(), kn.ext1());
    }

    @Override
    public void clear(Knote kn) {
        kn.flags &= ~Knote.USER_TRIGGERED;
    }
}
