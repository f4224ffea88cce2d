package org.int8workbench.ui.editors;

import java.nio.file.Path;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.ui.IEditorInput;
import org.eclipse.ui.IEditorSite;
import org.eclipse.ui.IPathEditorInput;
import org.eclipse.ui.IURIEditorInput;
import org.eclipse.ui.PartInitException;

/** A read-only editor showing a result file the core wrote. */
abstract class ReportEditor extends ReadOnlyEditorPart {
    private Path file;

    @Override
    public void init(IEditorSite site, IEditorInput input) throws PartInitException {
        setSite(site);
        setInput(input);
        if (input instanceof IPathEditorInput p) {
            file = p.getPath().toPath();
        } else if (input instanceof IURIEditorInput u && "file".equals(u.getURI().getScheme())) {
            file = Path.of(u.getURI());
        } else {
            throw new PartInitException("Cannot open " + input.getName() + ": not a local file");
        }
        setPartName(input.getName());
    }

    /**
     * The editor's title naming the models, e.g. {@code Accuracy: deeplab.int8 vs deeplab}: {@code kind}, the compared
     * models' names without {@code .onnx}, and the reference model's ({@code null} for none); the tooltip is the file.
     */
    void nameModels(String kind, java.util.List<String> compared, String reference) {
        String models = String.join(", ", compared.stream().map(ReportEditor::modelName).toList());
        setPartName(kind + ": " + models + (reference == null ? "" : " vs " + modelName(reference)));
        setTitleToolTip(file.toString());
    }

    /** A model's file name without its directory and {@code .onnx}. */
    static String modelName(String path) {
        if (path == null) {
            return "?";
        }
        String n = Path.of(path).getFileName().toString();
        return n.toLowerCase(java.util.Locale.ROOT).endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
    }

    /** The file's full path (the editor input's own tooltip is the workspace path). */
    @Override
    public String getTitleToolTip() {
        return file == null ? super.getTitleToolTip() : file.toString();
    }

    /** The file shown. */
    public Path file() {
        return file;
    }

    /** Asks for a file to export to; {@code null} when cancelled. */
    Path askSaveAs(String name, String extension) {
        FileDialog d = new FileDialog(getSite().getShell(), SWT.SAVE);
        d.setFileName(name);
        d.setFilterPath(file.getParent().toString());
        d.setFilterExtensions(new String[] {"*." + extension, "*"});
        d.setOverwrite(true);
        String chosen = d.open();
        return chosen == null ? null : Path.of(chosen);
    }
}
