package dev.arcsim.sim;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deep copies of the plain-data model objects the in-memory cluster keeps (fabric8's model classes and arcsim's
 * CRDs): a new object per object, a new collection per collection, shared immutable leaves. The store copies every
 * object in and out, as an API server hands out fresh objects; a JSON round trip did the same at ten times the cost,
 * and the simulated world spent most of its time there.
 *
 * <p>A class is copied field by field after its no-argument constructor (which sets what a CustomResource derives
 * from its annotations, kept in final fields). What this cannot copy (a JDK type it does not know, a class without
 * a no-argument constructor) is refused with the class named, so a new field type fails loudly in a test, never
 * silently shares state.
 */
final class DeepCopy {

    private static final Map<Class<?>, Plan> PLANS = new ConcurrentHashMap<>();

    private DeepCopy() {
    }

    /** How one class is copied: its constructor and the fields to carry over. */
    private record Plan(Constructor<?> constructor, Field[] fields) {
    }

    @SuppressWarnings("unchecked")
    static <T> T of(T o) {
        return (T) copy(o);
    }

    private static Object copy(Object o) {
        if (o == null || immutable(o)) {
            return o;
        }
        if (o instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object e : list) {
                out.add(copy(e));
            }
            return out;
        }
        if (o instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(e.getKey(), copy(e.getValue()));
            }
            return out;
        }
        if (o instanceof Set<?> set) {
            Set<Object> out = new LinkedHashSet<>();
            for (Object e : set) {
                out.add(copy(e));
            }
            return out;
        }
        if (o instanceof Collection<?>) {
            throw new IllegalArgumentException("cannot copy a " + o.getClass().getName());
        }
        if (o instanceof JsonNode node) {
            return node.deepCopy();
        }
        Plan plan = PLANS.computeIfAbsent(o.getClass(), DeepCopy::plan);
        try {
            Object out = plan.constructor().newInstance();
            for (Field f : plan.fields()) {
                f.set(out, copy(f.get(o)));
            }
            return out;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy a " + o.getClass().getName() + ": " + e, e);
        }
    }

    private static boolean immutable(Object o) {
        return o instanceof String || o instanceof Number && o.getClass().getName().startsWith("java.lang.")
                || o instanceof Boolean || o instanceof Character || o instanceof Enum<?>
                || o instanceof java.time.temporal.TemporalAccessor && o.getClass().getName().startsWith("java.time.")
                || o instanceof java.math.BigDecimal || o instanceof java.math.BigInteger;
    }

    private static Plan plan(Class<?> type) {
        if (type.getName().startsWith("java.") || type.getName().startsWith("javax.") || type.isArray()
                || type.isRecord()) {
            throw new IllegalArgumentException("cannot copy a " + type.getName() + " (not a plain model class)");
        }
        try {
            Constructor<?> c = type.getDeclaredConstructor();
            c.setAccessible(true);
            List<Field> fields = new ArrayList<>();
            for (Class<?> k = type; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (Modifier.isStatic(m) || Modifier.isFinal(m)) {
                        continue;   // finals are what the constructor derives
                    }
                    f.setAccessible(true);
                    fields.add(f);
                }
            }
            return new Plan(c, fields.toArray(Field[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("cannot copy a " + type.getName() + ": it has no no-argument constructor", e);
        }
    }
}
