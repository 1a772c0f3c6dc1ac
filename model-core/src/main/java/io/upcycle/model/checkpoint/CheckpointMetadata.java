package io.upcycle.model.checkpoint;

/**
 * Metadata keys an expert checkpoint carries (safetensors {@code __metadata__}) that another
 * service reads: the merger finds a plan's base through them when the plan names none.
 */
public final class CheckpointMetadata {
    /** The id of the base the expert was trained from: its file is {@code <id>.safetensors} in the base cache. */
    public static final String BASE_ID = "upcycle.base_id";
    /** The sha256 of that base file. */
    public static final String BASE_SHA256 = "upcycle.base_sha256";

    private CheckpointMetadata() {
    }
}
