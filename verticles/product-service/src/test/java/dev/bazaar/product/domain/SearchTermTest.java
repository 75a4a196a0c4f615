package dev.bazaar.product.domain;

import dev.bazaar.platform.validation.FieldError;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SearchTermTest {

  @Test
  void noTermMeansNoFilter() {
    assertThat(SearchTerm.likePattern(null).value()).isEmpty();
    assertThat(SearchTerm.likePattern("  ").value()).isEmpty();
  }

  @Test
  void theTermIsALiteralSubstring() {
    assertThat(SearchTerm.likePattern(" mug ").value()).contains("%mug%");
    assertThat(SearchTerm.likePattern("100%_off\\").value()).contains("%100\\%\\_off\\\\%");
  }

  @Test
  void overLongOrControlCharactersAreRejected() {
    assertThat(SearchTerm.likePattern("q".repeat(100)).ok()).isTrue();
    assertThat(SearchTerm.likePattern("q".repeat(101)).errors()).extracting(FieldError::field).containsExactly("q");
    assertThat(SearchTerm.likePattern("a\u0000b").ok()).isFalse();
    assertThat(SearchTerm.likePattern("a\u0000b").value()).isEqualTo(Optional.empty());
  }
}
