package org.cleanbackup.phash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * Known-answer vectors for the self-tests a kernel and a decoder must pass before they are used. The inputs are made by formulas
 * (no files, no random generator whose algorithm could change) and the answers were computed once with the
 * double-precision reference DCT; {@code KnownAnswersTest} recomputes them and checks that no coefficient lies
 * so close to the median that float rounding could flip a bit.
 */
final class KnownAnswers {

    static final String[] EXPECTED = {
            "2a552a552a2f55af",
            "8d70b44466eb5e1d",
            "6c5093d0fd63708f",
    };

    /**
     * A 256 x 256 gray baseline JPEG (written by the JDK's encoder at quality 0.5: off-centre ripples on a slight
     * slope) for the decoders' self-test: every decoder of this project reads it as a block whose hash is
     * {@link #DECODED}, the native one at 1/8 scale in libjpeg-turbo, the Java one with its DC-only decoder.
     */
    private static final String DECODER_JPEG = "/9j/4AAQSkZJRgABAgAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hn"
            + "Pk1xeXBkeFxlZ2P/wAALCAEAAQABAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9"
            + "AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZn"
            + "aGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP0"
            + "9fb3+Pn6/9oACAEBAAA/AKMk3vVd5aiaSoy9JmilApwWnBKcEpfLpfLo2UbKTbSbaMUZpwanq9TJLU8c3vVqOb3q3FN71bimq3HLVlHz"
            + "UoOaCM1E6ZqtLHVKaKuMaSoy+abnNKBTgtSLHUixVIsVPEPtTxD7U4Q+1L5PtR5PtSGH2pphphippjphSmlaTpShsVIr1OktWY5verkU"
            + "3vV2Kb3q5FLVpHqYHNBGaidKqyx15yTmgDNPValWOpkiqdIfaplg9qmWD2qRYPaniD2p4g9qXyPak8j2pDB7Uwwe1MaD2qJoPaomh9qh"
            + "aKo2SoyuKOlOVsVMklWYpauQzVehmq7FLVuN81MDmgjNQyJXmCjNSolWEiqxHD7VZjg9qsJB7VOkHtUywe1SLD7U8Q+1OEPtS+T7UeT7"
            + "Uhh9qYYfamNB7VE0HtULwe1V3h9qgeH2qB46hZMUwjFKDipUerMUtXYZavwy1eikq3G+alBzSMM15lHHVqOKrUcPtVuOH2qzHD7VYSH2"
            + "qZYqkEdPCU4JS7aXbRto2UhSmGOmNFULw+1QPD7VXkh9qqyQ+1VpIqrumKjIxQDipEfFWopKvQy1oQy1eikq0jZqXrXnkUVXIofarkUP"
            + "tVqOKrCR1KqU8Clpc0bqN1Lupd1LmloxSFaaUqJ46ryRVWkh9qqSw+1VJIqrOmKhIxQDipUercMlX4Ja0IJKvRPVlWzXGwxVdiiq1HHV"
            + "hUp4FOzSFqaZKaZaaZaTzqPO96cJqcJaeJKkD04NTqQrUbJUEkVVZYqpSxe1U5Y6qyJioSMUA4qaN6uwyVoQSVowyVdjfNYEUVWo0qdV"
            + "xT+lIWxUbSVE0tRtN71E0/vTDP7037R70faPenC496kWf3qVZ/epUm96nSWpVfNSA5pcZpjLUEkdVJYqpTRVRljqrImKhIxTlOKsRPV+"
            + "CStGCTpWhC9Uo0qdRinZxTGfFQvLVd5veq7z+9QPP71E0/vUZn96b5/vS+f70on96kWf3qVJ/erCT+9WI5/erMc1WUkqZWzTutNZc1Xk"
            + "jqnNHVCaOqMqVVdcUzoakRsVbhetGCTpWlA/ShRinZxUbviq8ktVZJveqsk/vVZ5/eoGm96iab3pplpvm0vm0olp6y1Ks3vUyTe9WY5/"
            + "ercU3vVyKb3q3HJU6tmn9aY61WlSqU0dZ80dUZUquwxSA4NWImq/A9aVu/SrWcUx3xVaWSqcs3vVKWb3qrJN71XeWojJTS1JmjNLmlzS"
            + "hqcHqRZKsRy1aimq5DN71ehlq5HJmrKtmnHmonWqkyVQnjrPmSqUi1F3qRG5q5C9aNu/StBmxVaWSqU0tUZpapyS1WeSoy2aTrSgU8JT"
            + "glL5dGymlaTFKDinq+Knjkq5DLV6GWtCGSrkb5qwpzQwzVeVaozpWfOlZ8q1WYc0KeasxNWhbv0rRkeqU0lUJpaoyyVUd6jJzQBmpFTN"
            + "TJFUyw+1SCH2pfJ9qQw+1MaKomjqIrik6U5WxViOSrsMlaMElaEMlXI2zUvUVG4qpMtZ06dazplqnIKi71NGeavQN0rRmes+eSs+aSqU"
            + "j1CTmhRmpkTNWo4s1ajh9qsJB7VKIPaneR7U1oPaong9qryQ+1VpI6gZcUzpT0arUT1oQSdK0YJOlaET1ZU8UrDiq0q1nzr1rOnXrVCU"
            + "VXPWnoeauQNV6d+tZ079az5XqqzU0c1NGuauRR1dhiq7FD7VZSH2qYQ+1L5PtTWhqJ4faqssPtVOWKqcqYquwxTQcVNG1XYHrSt36VpQ"
            + "PV2M1J2qGQVRnXrWbcL1rPmFVW60KeatQnmrdw3Ws2dutUZWqAnmnoKtwpV+COtGGKrscdWFSpAtLtpClRvHVaWOqU0dUJo6pSLUB4py"
            + "HmrcLVo279K07dulX4jVgdKjccVTnFZtwOtZ04qm/WmjrViI1YuG61nTtVKQ81GOtTxCr8C9K0rdOlaMKVbRalHFGaN1OBzSEZqGRKpz"
            + "JWdOnWs+ZaqOOaaDzVmI1oW7dK1LdulaMJ4qyp4pH6VUmFZ1wOtZs4qlJ1qMdaniNT3B61mzGqjnmmr1q1CK0LcdK1LdelaEQqyvShji"
            + "omkxTBLzUyPmpgc01xxVSZazrhetZs4qlJ1qIdaniPNX7c9K1Lc9K0oTVtOlK3Sqs1Z1x3rMn71Rk61F3qaLrU9x3rNmqo3WhetW4a0r"
            + "ftWnb9q0IulTjpTJDxVKZyKgSUlqvQtVtDxSt0qrNWdcd6zZ+9UJOtRd6lj61ft+1alv2rTgq2nSlbpVaas6471mT96oydah71NH1qe4"
            + "71nTVUfrQvWrUJrRtz0rUtz0rQiPFWB0pjjNVZY81EsODVqJcVaXpQx4qrMazrg9azZz1qhIeai71NFV+37VqW/atKCridKVulVZqzrg"
            + "9azZz1qhJ1qLvUsXWrVwOtZs4qm/WmjrVmI1oW7dK07d+laMLVZU04jNMKZpBHUirin9KY7cVTmes64frWdO3WqUh5pg61PEOa0LcdK0"
            + "7cdK0oatr0obpVSY1nXB61mzmqMh5qLvU8XWrlwvWs2dapSCou9TRtV2B60YJOlaMMlXI3qdWp2aKXNNZ6rySVSmkrPnkqhK9VWPNC9a"
            + "switG3XpWnbjpWjCKsr0prniqkxrNuD1rNnNUpDzTB1qeKtGdetZs69aoSrUB60qnFWYnxV6GWr8MtXYpaspLUokp3mU0y1E8tVpZveq"
            + "U0tUZpKpyNmos5NPQVchWtK3XpWnAvSr0Y4qbtUchqlO1Z1w3Ws2ZqqOeaRetWIRWtOlZ06VnzJVR1pnSpEbFWYpKuRTe9XI5/erKT+9"
            + "TLP707z/AHprT+9QvP71Wkm96qSy+9VJJM1CxzQozViJavQJWlbp0rRhWriDink8VBK1UJ261mzt1rPmaqzHmlTrVuEVtSrVCdKz5o6o"
            + "ypVdhikBxUiPip45aspN71Ok/vUouPenfaPemm496ief3qF5qrvJmoi2aQc1Ki1chStCCPpWjAnSr0S1YHSkY8VVmas+d+tZ071RkaoD"
            + "1qSMc1dgWtyRc1UmSqE0dUZY6qSJUDLik6U5WxUiyVKstPE3vTvO96Qze9MMtRl6aTmgDNSouasxR1ehjrQgjq/ClW0GKfmopGqlM9Z0"
            + "79az5nqo5pg61PEKvQL0rcYZqCRM1UljqjNFVOWKqrx1CyUzFFODUu6l30bqM0U4LUqJVmOOrkMVXoYqvwx1bjXFTDims1VpXqhPJWdO"
            + "9UZWqux5pVHNW4VrQt16Vrg5prLmoJEqrLFVOWH2qpJD7VWeKomjqMpSbaTbS7aULTglPWOpkiqxHFVqKGrsUPtV2KKrcaYqYDFBOKhk"
            + "eqU0lUJ5Kz5nqo7ZpnU1LGKuwLWlbp0q4jZqTrTWXNQvHmq8kVVZIfaqzw+1QPD7VE0PtUZh9qTyqPKpwhp6w1KkPtU6Qe1Wo4farUcN"
            + "W44qsomKmAxSk4qJ3xVSWSqM0tUJpKpSPUBOacozVmJavwJ0rSgTpTIpKsI+akBzSEZqNkqF4qgeH2qFoPaoWg9qYYPam+R7UeR7U4Qe"
            + "1SLB7VKkHtU6Qe1WEh9qsJHU6pipAMUE4qN3xVaWWqU0tUJpapSyVXZs00c1NGtXYUrRgTpWjAlY8MtXI5asI9Sg5oxmkK5qNo6jaKmG"
            + "GmGH2pPI9qPI9qUQe1SLD7VIsNSrFUqpUgWndKQtionkqvJLVOWb3qlNLVKWSqztmmdaei1biSr8EdaMEfSr8SVyMM3vV2Kb3q3HLVhJ"
            + "KmV6cDS0baaUpPLo8ujy6UR04JTwtOApaC1NZ6heWq8k3vVSWb3qnLN71Uklqs75qMnNOUZqxElXoY60II60IUq5Gtf/2Q==";

    /** The hash of {@link #DECODER_JPEG}, decoded, through the reference kernel. */
    static final String DECODED = "f18ed676d0d02b4a";

    /**
     * How many bits a decoder's hash of {@link #DECODER_JPEG} may be off: decoders may differ a little (another
     * libjpeg-turbo, another scaling) and still be right; a broken one is tens of bits off, or throws.
     */
    static final int DECODER_TOLERANCE = 4;

    private KnownAnswers() {
    }

    /** Input {@code k} (0, 1 or 2): a smooth scene, a noise-like texture, off-centre ripples. */
    static float[] input(int k) {
        float[] x = new float[LumaBlock.LENGTH];
        long state = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 32; j++) {
                double v = switch (k) {
                    case 0 -> 128 + 60 * Math.sin(i * 0.3) + 50 * Math.cos(j * 0.21) + i * j * 0.05;
                    case 1 -> {
                        // 64-bit LCG (Knuth's MMIX constants), top byte as the value
                        state = state * 6364136223846793005L + 1442695040888963407L;
                        yield (state >>> 56);
                    }
                    case 2 -> 110 + 90 * Math.sin(Math.hypot(i - 11, j - 19) * 0.45) + (i * 7 + j * 3) % 13;
                    default -> throw new IllegalArgumentException("no known-answer input " + k);
                };
                x[i * 32 + j] = (float) Math.max(0, Math.min(255, v));
            }
        }
        return x;
    }

    /** Runs the vectors through {@code hasher}'s kernel and core's hash; empty when all match, else what went wrong. */
    static Optional<String> check(PerceptualHasher hasher) {
        try {
            for (int k = 0; k < EXPECTED.length; k++) {
                String got = hasher.hashBlock(input(k)).hex();
                if (!got.equals(EXPECTED[k])) {
                    return Optional.of("self-test vector " + k + " gave " + got + ", expected " + EXPECTED[k]);
                }
            }
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("self-test failed: " + e);
        }
    }

    /**
     * Decodes the known-answer JPEG with {@code decoder} (from a temporary file, deleted at once); empty when the
     * hash is within {@value #DECODER_TOLERANCE} bits of {@link #DECODED} or the decoder does not take JPEGs (nothing
     * to test), else what went wrong.
     */
    static Optional<String> checkDecoder(LumaDecoder decoder) {
        Path file;
        try {
            file = Files.createTempFile("cleanbackup-phash-selftest", ".jpg");
        } catch (IOException e) { // no temporary folder: nothing can be tested, which is no reason to refuse
            return Optional.empty();
        }
        try {
            Files.write(file, Base64.getDecoder().decode(DECODER_JPEG));
            Optional<LumaBlock> block = decoder.decode(file, PerceptualHashers.DEFAULT_MAX_PIXELS);
            if (block.isEmpty()) {
                return Optional.empty();
            }
            float[] c = new float[64];
            DctBasis.referenceDct(block.get().luma(), c);
            PerceptualHash got = HashBits.fromCoefficients(c);
            int distance = got.distance(PerceptualHash.fromHex(DECODED));
            if (distance > DECODER_TOLERANCE || block.get().orientation() != Orientation.NORMAL) {
                return Optional.of("self-test image decoded to " + got.hex() + " (" + block.get().orientation()
                        + "), expected " + DECODED + " within " + DECODER_TOLERANCE + " bits");
            }
            return Optional.empty();
        } catch (IOException | RuntimeException | LinkageError e) {
            return Optional.of("self-test failed: " + e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind costs 3 KB
            }
        }
    }

    /** The reference DCT in double precision, straight from the definition; for tests and the known answers. */
    static double[] referenceDct(float[] x) {
        double[] out = new double[64];
        for (int u = 1; u <= 8; u++) {
            for (int v = 1; v <= 8; v++) {
                double sum = 0;
                for (int i = 0; i < 32; i++) {
                    for (int j = 0; j < 32; j++) {
                        sum += Math.cos(Math.PI * (2 * i + 1) * u / 64.0) * Math.cos(Math.PI * (2 * j + 1) * v / 64.0)
                                * x[i * 32 + j];
                    }
                }
                out[(u - 1) * 8 + (v - 1)] = sum * (2.0 / 32);
            }
        }
        return out;
    }
}
