package org.stainbench.shell;

import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * A Spring Data {@link Pageable} for the stores' {@code (offset, limit)} lists: any offset, not only whole pages;
 * {@code limit == Integer.MAX_VALUE} means "all from the offset on" (at offset 0: unpaged).
 */
public record OffsetPage(long offset, int limit, Sort sort) implements Pageable {

    public OffsetPage {
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be >= 0 and limit >= 1");
        }
        sort = sort == null ? Sort.unsorted() : sort;
    }

    /** Rows {@code offset ..< offset + limit} in {@code sort} order. */
    public static Pageable of(long offset, int limit, Sort sort) {
        return offset == 0 && limit == Integer.MAX_VALUE ? Pageable.unpaged(sort) : new OffsetPage(offset, limit, sort);
    }

    @Override
    public int getPageNumber() {
        return (int) (offset / limit);
    }

    @Override
    public int getPageSize() {
        return limit;
    }

    @Override
    public long getOffset() {
        return offset;
    }

    @Override
    public Sort getSort() {
        return sort;
    }

    @Override
    public Pageable next() {
        return new OffsetPage(offset + limit, limit, sort);
    }

    @Override
    public Pageable previousOrFirst() {
        return hasPrevious() ? new OffsetPage(Math.max(0, offset - limit), limit, sort) : first();
    }

    @Override
    public Pageable first() {
        return new OffsetPage(0, limit, sort);
    }

    @Override
    public Pageable withPage(int pageNumber) {
        return new OffsetPage((long) pageNumber * limit, limit, sort);
    }

    @Override
    public boolean hasPrevious() {
        return offset > 0;
    }
}
