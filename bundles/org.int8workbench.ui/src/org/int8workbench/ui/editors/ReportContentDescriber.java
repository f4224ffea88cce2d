package org.int8workbench.ui.editors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.core.runtime.QualifiedName;
import org.eclipse.core.runtime.content.IContentDescriber;
import org.eclipse.core.runtime.content.IContentDescription;

/**
 * Tells an accuracy report ({@code report.json} written by the core's {@code EvaluateOperation}) from any other file
 * of that name: the JSON must begin with the report's {@code format} field and carry its {@code aggregation}
 * statement.
 */
public final class ReportContentDescriber implements IContentDescriber {
    private static final int HEAD = 64 * 1024;

    @Override
    public int describe(InputStream contents, IContentDescription description) throws IOException {
        String head = new String(contents.readNBytes(HEAD), StandardCharsets.UTF_8);
        String start = head.stripLeading();
        return start.startsWith("{") && start.substring(1).stripLeading().startsWith("\"format\"") && head.contains("\"aggregation\"")
                ? VALID : INVALID;
    }

    @Override
    public QualifiedName[] getSupportedOptions() {
        return new QualifiedName[0];
    }
}
