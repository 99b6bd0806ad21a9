#pragma once
// Stable machine codes of DecoderDiagnostic::code for the DLMS decoder (docs/protocols/dlms.md).
namespace meterd::dlms::diag {

inline constexpr const char* no_valid_frame = "no_valid_frame";          // bytes, but nothing passes HCS+FCS
inline constexpr const char* crc_error = "crc_error";                    // frame header fine, FCS / M-Bus checksum wrong
inline constexpr const char* frame_error = "frame_error";                // checksums fine, closing flag / stop byte missing
inline constexpr const char* reassembly_dropped = "reassembly_dropped";  // GBT/segment duplicate or gap
inline constexpr const char* reassembly_orphan = "reassembly_orphan";    // continuation without its first part
inline constexpr const char* incomplete_message = "incomplete_message";  // unfinished message replaced or at end
inline constexpr const char* message_too_large = "message_too_large";    // beyond the reassembly cap
inline constexpr const char* apdu_malformed = "apdu_malformed";          // data-notification or GBT not parseable
inline constexpr const char* unknown_apdu = "unknown_apdu";              // APDU tag not used in pushes
inline constexpr const char* trailing_bytes = "trailing_bytes";          // leftover after the APDUs of a frame
inline constexpr const char* cipher_header_invalid = "cipher_header_invalid";
inline constexpr const char* encrypted_no_key = "encrypted_no_key";
inline constexpr const char* wrong_key = "wrong_key";                    // decrypted plaintext is not valid
inline constexpr const char* auth_tag_mismatch = "auth_tag_mismatch";    // plaintext valid, tag does not verify
inline constexpr const char* decrypted_unverified = "decrypted_unverified";  // tag present, no AK configured
inline constexpr const char* unauthenticated_rejected = "unauthenticated_rejected";
inline constexpr const char* repeated_frame_counter = "repeated_frame_counter";
inline constexpr const char* unsupported_layout = "unsupported_layout";
inline constexpr const char* framing_detected = "framing_detected";      // auto-detection chose the bare layers, or had to choose

}  // namespace meterd::dlms::diag
