package org.cleanbackup;

import org.cleanbackup.compress.CompressionPlan;
import org.cleanbackup.scan.ScanResult;

/**
 * What {@link CleanBackup#compress(CompressRequest, org.cleanbackup.model.ProgressListener)} prepared: the files
 * scanned and the compressed results waiting, as temporary files, to be placed by {@link CompressionPlan#plan()}.
 * Carry the plan out with {@link CleanBackup#execute}, then call {@link CompressionPlan#discardTemporaryFiles()}
 * (also when the plan is not carried out).
 *
 * @param request  what was asked
 * @param scan     the files scanned, with the problems met while scanning
 * @param prepared the results and the plan that places them
 * @since 0.3
 */
public record CompressionRun(CompressRequest request, ScanResult scan, CompressionPlan prepared) {
}
