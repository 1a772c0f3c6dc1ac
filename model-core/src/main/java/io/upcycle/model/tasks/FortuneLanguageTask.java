package io.upcycle.model.tasks;

import io.upcycle.model.fetch.DataSource;
import io.upcycle.model.fetch.DebianPackage;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * {@code fortune-lang-8}: which language a fortune is written in (en, de, es, it, cs, pl, ru, pt),
 * {@link #PER_LANGUAGE} quotes each, drawn with a fixed seed from that language's files.
 *
 * <p>Files per language (each package's own folder, minus what is not prose in that language):
 * de without {@code asciiart}; it without {@code banner}; cs without {@code klasik-sk} (Slovak);
 * pl without {@code cows} (ASCII art); es without its {@code off/} folder (offensive, not pinned);
 * ru whole; pt is fortunes-br's {@code brasil}. Every file is UTF-8 in the pinned packages. English
 * comes from files that neither {@link FortuneTopicTask} nor {@link FortunePretrainTask} read:
 * fortunes-min's three files and the small categories of fortunes (fewer than 100 quotes), minus
 * {@code ascii-art} and {@code translate-me} (Latin).
 */
public final class FortuneLanguageTask implements TaskSource {
    public static final String NAME = "fortune-lang-8";
    /** Quotes drawn per language. */
    public static final int PER_LANGUAGE = 1_000;
    /** Seed of the draw; part of the task's definition, independent of the split seed. */
    public static final long SAMPLE_SEED = 82_024L;

    /** One class: its code, the files it reads, the charset its files used before UTF-8. */
    private record Language(String code, DebianPackage pkg, String folder, Set<String> excluded, Charset legacy) {
        List<String> files() {
            return FortunePackages.filesIn(pkg.relativeDir() + "/" + FortunePackages.GAMES_DIR + folder, excluded);
        }
    }

    private static final Charset LATIN1 = Charset.forName("ISO-8859-1");
    private static final Charset LATIN2 = Charset.forName("ISO-8859-2");
    private static final List<Language> LANGUAGES = List.of(
            new Language("de", new DebianPackage("fortunes-de"), "/de", Set.of("asciiart"), LATIN1),
            new Language("es", new DebianPackage("fortunes-es"), "/es", Set.of(), LATIN1),
            new Language("it", new DebianPackage("fortunes-it"), "/it", Set.of("banner"), LATIN1),
            new Language("cs", new DebianPackage("fortunes-cs"), "/cs", Set.of("klasik-sk"), LATIN2),
            new Language("pl", new DebianPackage("fortunes-pl"), "/pl", Set.of("cows"), LATIN2),
            new Language("ru", new DebianPackage("fortunes-ru"), "/ru", Set.of(), Charset.forName("KOI8-R")),
            new Language("pt", new DebianPackage("fortunes-br"), "", Set.of(), LATIN1));
    /** English files: fortunes-min's, and fortunes' categories under 100 quotes that are English prose. */
    public static final List<String> ENGLISH_CATEGORIES = List.of("fortunes", "literature", "riddles",
            "debian", "goedel", "magic", "medicine", "news", "paradoxum", "pets", "pratchett", "tao");
    private static final List<String> CODES = List.of("en", "de", "es", "it", "cs", "pl", "ru", "pt");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> classNames() {
        return CODES;
    }

    @Override
    public List<DataSource> sources() {
        List<DataSource> sources = new ArrayList<>(List.of(FortunePackages.FORTUNES, FortunePackages.FORTUNES_MIN));
        LANGUAGES.forEach(language -> sources.add(language.pkg()));
        return sources;
    }

    @Override
    public List<LabeledText> load(Path dataRoot) {
        Set<String> seen = new HashSet<>(); // a quote found in two languages' files stays with the first
        List<LabeledText> sample = new ArrayList<>();
        List<String> english = ENGLISH_CATEGORIES.stream().map(FortunePackages::englishCategory).toList();
        sample.addAll(draw(FortunePackages.read(dataRoot, english, 0, LATIN1), "en", seen));
        for (Language language : LANGUAGES) {
            int label = CODES.indexOf(language.code());
            List<LabeledText> pool = FortunePackages.read(dataRoot, language.files(), label, language.legacy());
            sample.addAll(draw(pool, language.code(), seen));
        }
        return sample;
    }

    /** {@link #PER_LANGUAGE} distinct quotes, drawn with {@link #SAMPLE_SEED} from the pool in file order. */
    private static List<LabeledText> draw(List<LabeledText> pool, String code, Set<String> seen) {
        List<LabeledText> distinct = new ArrayList<>(Deduplication.firstOccurrences(pool, seen));
        if (distinct.size() < PER_LANGUAGE) {
            throw new IllegalStateException(NAME + ": only " + distinct.size() + " distinct '" + code
                    + "' quotes, need " + PER_LANGUAGE);
        }
        Collections.shuffle(distinct, new Random(SAMPLE_SEED ^ code.hashCode()));
        return List.copyOf(distinct.subList(0, PER_LANGUAGE));
    }
}
