package org.stainbench.tiles;

/** A file that is not a valid or supported NumPy array; the message is meant for people. */
public class NpyFormatException extends IllegalArgumentException {

    public NpyFormatException(String message) {
        super(message);
    }
}
