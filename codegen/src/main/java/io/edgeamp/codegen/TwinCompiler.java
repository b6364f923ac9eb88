package io.edgeamp.codegen;

import com.squareup.javapoet.JavaFile;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a generated twin in memory with the JDK's compiler (javax.tools) and loads it in its own
 * class loader, so the toolchain and the tests run exactly the source that codegen writes.
 */
public final class TwinCompiler {
  private TwinCompiler() {}

  /** A loaded twin: {@code infer(byte[]) -> byte[]}. */
  public static final class Twin {
    private final Class<?> type;
    private final MethodHandle infer;

    Twin(Class<?> type) throws ReflectiveOperationException {
      this.type = type;
      this.infer = MethodHandles.publicLookup().findStatic(type, "infer", MethodType.methodType(byte[].class, byte[].class));
    }

    public Class<?> type() {
      return type;
    }

    public byte[] infer(byte[] input) {
      try {
        return (byte[]) infer.invokeExact(input);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
  }

  public static Twin compile(JavaFile file) {
    return compile(file.packageName.isEmpty() ? file.typeSpec.name : file.packageName + "." + file.typeSpec.name, file.toString());
  }

  public static Twin compile(String className, String source) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) throw new IllegalStateException("no Java compiler in this runtime (a JDK, not a JRE, is needed to compile the device twin)");
    DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    Map<String, ByteArrayOutputStream> classes = new HashMap<>();
    StandardJavaFileManager std = javac.getStandardFileManager(diags, null, null);
    JavaFileManager fm = new ForwardingJavaFileManager<>(std) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + kind.extension), kind) {
          @Override
          public OutputStream openOutputStream() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            classes.put(name, b);
            return b;
          }
        };
      }
    };
    JavaFileObject src = new SimpleJavaFileObject(URI.create("string:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    StringWriter out = new StringWriter();
    boolean ok = javac.getTask(out, fm, diags, List.of("-Xlint:all", "-Werror", "--release", "17", "-proc:none"), null, List.of(src)).call();
    if (!ok) throw new IllegalStateException("the generated twin " + className + " does not compile: " + diags.getDiagnostics() + out);
    ClassLoader loader = new ClassLoader(TwinCompiler.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        ByteArrayOutputStream b = classes.get(name);
        if (b == null) throw new ClassNotFoundException(name);
        byte[] bytes = b.toByteArray();
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
    try {
      return new Twin(loader.loadClass(className));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the generated twin " + className, e);
    }
  }
}
